"""The cards are part of the running time: ``card_lengths`` scales them with the film (a 12 s film was cut at
16.3 s, its 2 s title and 3 s credits on top of the shots)."""

from __future__ import annotations

import itertools

import pytest

from generator.assembly import EditList, card_lengths, shots_time_s


@pytest.mark.parametrize("runtime_s", [30, 45, 60, 600, 3600])
def test_a_film_of_thirty_seconds_or_more_keeps_the_full_cards(runtime_s: float) -> None:
    assert card_lengths(runtime_s) == (2.0, 3.0)
    assert shots_time_s(runtime_s) == pytest.approx(runtime_s - 5.0)


@pytest.mark.parametrize(("runtime_s", "title_s", "credits_s"), [(12, 0.8, 1.2), (10, 0.67, 1.0), (20, 1.33, 2.0)])
def test_a_short_film_has_short_cards_a_sixth_of_it(runtime_s: float, title_s: float, credits_s: float) -> None:
    assert card_lengths(runtime_s) == (title_s, credits_s)
    assert sum(card_lengths(runtime_s)) == pytest.approx(runtime_s / 6, abs=0.01)
    assert shots_time_s(runtime_s) == pytest.approx(runtime_s - title_s - credits_s)


@pytest.mark.parametrize(("runtime_s", "title_s"), [(9, 0.6), (5, 0.5), (1, 0.5)])
def test_under_ten_seconds_there_is_a_title_and_no_credits_card(runtime_s: float, title_s: float) -> None:
    assert card_lengths(runtime_s) == (title_s, 0.0)


def test_the_cards_never_shrink_as_the_film_grows() -> None:
    lengths = [card_lengths(r / 4) for r in range(0, 4 * 40)]
    for (t0, c0), (t1, c1) in itertools.pairwise(lengths):
        assert t1 >= t0 and c1 >= c0
    assert all(0 <= shots_time_s(r / 4) <= r / 4 for r in range(0, 4 * 40))


def test_the_edit_list_defaults_are_the_full_cards() -> None:
    fields = EditList.model_fields
    assert (fields["title_s"].default, fields["credits_s"].default) == card_lengths(600)
