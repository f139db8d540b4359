"""``counting_bars``: a library's own tqdm bar, counted for the page too (the bundled model's conversion)."""

from __future__ import annotations

from types import ModuleType

from tqdm.auto import tqdm

from agents.llm.load_report import counting_bars


def library_with_a_bar() -> ModuleType:
    """A module that draws its bar as transformers' GGUF reader does: ``tqdm`` imported at module level."""
    module = ModuleType("library")
    exec("from tqdm.auto import tqdm\ndef work(items):\n    return [x * 2 for x in tqdm(items, disable=True)]", module.__dict__)
    return module


def test_a_bar_reports_each_item_done_and_the_module_gets_its_own_tqdm_back() -> None:
    library, said = library_with_a_bar(), []
    with counting_bars(library, lambda message, fraction: said.append((message, fraction)), "dequantising"):
        assert library.work([1, 2, 3, 4]) == [2, 4, 6, 8]
    assert said == [("dequantising", 0.0), ("dequantising", 0.25), ("dequantising", 0.5), ("dequantising", 0.75), ("dequantising", 1.0)]
    assert library.tqdm is tqdm
    library.work([1])  # outside: nothing is reported
    assert len(said) == 5


def test_a_module_without_a_tqdm_class_loads_without_a_count() -> None:
    plain, said = ModuleType("plain"), []
    with counting_bars(plain, lambda message, fraction: said.append((message, fraction)), "x"):
        pass
    assert said == [] and not hasattr(plain, "tqdm")


def test_transformers_gguf_reader_still_draws_its_bar_with_a_module_level_tqdm() -> None:
    """The count the studio shows while converting depends on this; a transformers that changes it would leave the
    page with the step of four only, so the change should be seen here first."""
    from transformers import modeling_gguf_pytorch_utils as reader

    assert isinstance(reader.tqdm, type)
