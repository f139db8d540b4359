"""The string repetition guard: bans a repeated token n-gram inside a JSON string value, never in keys or quotes."""

from __future__ import annotations

import torch

from agents.llm.repetition import StringRepeatGuard


class CharTokenizer:
    """One token per character (ids are code points): enough to drive the guard's JSON scanner."""

    def decode(self, ids: list[int]) -> str:
        return "".join(chr(i) for i in ids)


def scores_after(text: str, n: int = 3) -> torch.Tensor:
    guard = StringRepeatGuard(CharTokenizer(), prompt_len=0, n=n)
    ids = torch.tensor([[ord(c) for c in text]])
    return guard(ids, torch.zeros(1, 256))


def test_a_repeated_ngram_inside_a_value_is_banned() -> None:
    scores = scores_after('{"line":"abcab')  # "ab" then "c" would repeat "abc"
    assert scores[0, ord("c")] == float("-inf")
    assert scores[0, ord("d")] == 0 and scores[0, ord('"')] == 0  # other tokens, and closing the string, stay open


def test_keys_and_text_outside_strings_are_never_banned() -> None:
    assert torch.all(scores_after('{"a":"b","lineli') == 0)  # inside a key: "li" then "n" repeats, but keys are free
    assert torch.all(scores_after('{"a":"xy","b":"x') == 0)  # the n-gram history is per string value


def test_each_string_value_has_its_own_history_and_arrays_of_strings_count_as_values() -> None:
    assert scores_after('{"beats":["abcab')[0, ord("c")] == float("-inf")
    assert torch.all(scores_after('{"beats":["abc","ab') == 0)
