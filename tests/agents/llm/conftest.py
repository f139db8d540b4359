"""Fixtures of the LLM layer's tests: a tiny random-weight Llama with an in-process tokenizer, and the
planning schemas every backend must answer.

The tiny model's final norm is zeroed, so every logit ties and greedy decoding picks the lowest token
id the grammar allows: a deterministic, content-free "worst" model. Whatever it emits is valid only
because xgrammar allows nothing else — which is the property under test. (``random_tiny_backend`` keeps
all weights random, for the same check on a model whose choices vary from step to step.)
"""

from __future__ import annotations

from enum import StrEnum

import pytest
from pydantic import BaseModel, Field


class ShotSize(StrEnum):
    wide = "wide"
    medium = "medium"
    close = "close"


class Character(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=24)
    name: str = Field(max_length=30)
    description: str = Field(max_length=120, description="Visual only.")


class Shot(BaseModel):
    id: str = Field(pattern=r"^s[0-9]{2}$")
    size: ShotSize
    duration_s: float = Field(ge=1, le=10)
    characters: list[str] = Field(max_length=3)
    action: str = Field(max_length=120)


class ExamplePlan(BaseModel):
    """Shaped like planning output: nested lists of objects with enums, numbers and patterns."""

    title: str = Field(max_length=60)
    characters: list[Character] = Field(min_length=1, max_length=3)
    shots: list[Shot] = Field(min_length=1, max_length=4)


def role_schemas() -> list[type[BaseModel]]:
    """Every registered role's output schema (``agents.crew.registry.ROLES``), in registry order.

    No fallbacks: if the registry cannot be imported, or a role's ``output`` is not a pydantic model, the
    tests that use this fail at collection instead of quietly checking fewer schemas.
    """
    from agents.crew.registry import ROLES

    schemas: list[type[BaseModel]] = []
    for role in ROLES:
        output = role.output
        if not (isinstance(output, type) and issubclass(output, BaseModel)):
            raise TypeError(f"role {role.name!r} declares output {output!r}, not a pydantic model")
        if output not in schemas:
            schemas.append(output)
    return schemas


def planning_schemas() -> list[type[BaseModel]]:
    """The crew's real output schemas plus the example above."""
    return [*role_schemas(), ExamplePlan]


def planning_cases() -> list[tuple[type[BaseModel], int]]:
    """Each planning schema with the token budget its role gives it (1024 for the example schema)."""
    from agents.crew.registry import ROLES

    budgets: dict[type[BaseModel], int] = {}
    for role in ROLES:
        budgets.setdefault(role.output, int(role.max_tokens))
    return [(schema, budgets.get(schema, 1024)) for schema in planning_schemas()]


def tiny_tokenizer():  # type: ignore[no-untyped-def]
    """A byte-level tokenizer with no merges: every byte is a token, so any JSON text can be spelled."""
    from tokenizers import Tokenizer, decoders, models
    from tokenizers.pre_tokenizers import ByteLevel
    from transformers import PreTrainedTokenizerFast

    closers = ['"', "]", "}"]  # first, so a tie closes strings and arrays as early as the grammar allows
    alphabet = closers + sorted(set(ByteLevel.alphabet()) - set(closers))
    vocab = {char: i for i, char in enumerate(alphabet)}
    for special in ("<unk>", "<pad>", "</s>"):  # last, so a tie never picks them
        vocab[special] = len(vocab)
    core = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token="<unk>"))
    core.pre_tokenizer = ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    tok = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")
    tok.chat_template = (
        "{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}\n{% endfor %}"
        "{% if add_generation_prompt %}<assistant>{% endif %}"
    )
    return tok


def tiny_model(vocab_size: int, *, tie_logits: bool):  # type: ignore[no-untyped-def]
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=4096,
        bos_token_id=None,
        eos_token_id=vocab_size - 1,
        pad_token_id=vocab_size - 2,
    )
    model = LlamaForCausalLM(config).eval()
    if tie_logits:
        with torch.no_grad():
            model.model.norm.weight.zero_()
    return model


def _backend(tie_logits: bool):  # type: ignore[no-untyped-def]
    from agents.llm.transformers_backend import LocalModel, TransformersBackend

    tok = tiny_tokenizer()
    model = tiny_model(len(tok), tie_logits=tie_logits)
    return TransformersBackend(LocalModel(model=model, tokenizer=tok, device="cpu"), name="transformers:tiny")


@pytest.fixture(scope="session")
def tiny_backend():  # type: ignore[no-untyped-def]
    return _backend(tie_logits=True)


@pytest.fixture(scope="session")
def random_tiny_backend():  # type: ignore[no-untyped-def]
    return _backend(tie_logits=False)
