"""A local model through transformers, with schema-constrained decoding by xgrammar.

Why xgrammar: it is the grammar engine vLLM uses, so the local path and the server path constrain
answers the same way; with it even a 135M model (or a random-weight test model) can only emit text
that parses as the requested schema. Facts that shape this file (see shared/PITFALLS.md):

- a ``xgr.contrib.hf.LogitsProcessor`` is single-use: a new one per ``generate()``;
- ``TokenizerInfo.from_huggingface(tok, vocab_size=model.config.vocab_size)`` (the embedding may be
  larger than the tokenizer's vocabulary);
- compiling a grammar takes ~1 s: compiled grammars are cached per schema;
- loading is slow (a GGUF takes ~20 s to dequantise): a model is loaded once per process and shared.

Grammars get default upper bounds (``maxLength`` on strings, ``maxItems`` on arrays) where the schema
sets none, so a small model cannot loop inside one string until ``max_tokens`` runs out; validation
afterwards uses the schema as written. Generation is greedy unless a temperature is given; the one
re-ask after an invalid or cut-off answer samples (``retry_temperature``), since greedy decoding would
repeat the loop that cut the first answer off, and after a cut-off it also scales the string bounds down
(``fitted``) so that the longest answer the grammar allows fits the token budget.

Inside string values no token 4-gram may repeat (``agents.llm.repetition``, ``string_ngram``): small models
loop inside strings ("I was soaked. I was soaked. …"), and transformers' own ``no_repeat_ngram_size`` would
also ban the JSON keys an answer repeats on purpose.

Under a grammar, decoding skips what the schema forces (keys, brackets, enum tails) with xgrammar's
jump-forward (``agents.llm.jump_forward``, measured by ``bench/jump_forward.py``); without a grammar, or
with a ``repetition_penalty``, it is transformers' ``generate``.

On a CPU, generation runs on one torch thread by default (``cpu_threads``): a 135M model's matmuls are
too small to gain from more, and on a shared machine two OpenMP threads that spin-wait for each other
were ~9× slower than one (12.6 against 1.4 tokens/s side by side, bench/results/llm.jsonl).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.llm.answers import json_schema_of, validated_answer
from agents.llm.base import (
    DEFAULT_MAX_TOKENS,
    SMALL_MODEL_PARAMETERS,
    MessageDict,
    Messages,
    Schema,
    as_dicts,
)
from agents.llm.errors import LLMTimeout, LLMUnavailable
from agents.llm.jump_forward import decode
from agents.llm.repetition import StringRepeatGuard
from agents.llm.schema_bounds import bounded, fitted


@dataclass
class GenerationStats:
    """What the last ``generate`` did: for benchmarks and progress lines."""

    prompt_tokens: int = 0
    new_tokens: int = 0
    seconds: float = 0.0
    finished: bool = True  # False when it stopped at max_tokens
    forward_passes: int = 0  # fewer than new_tokens where jump-forward wrote forced tokens (0: not counted)

    @property
    def tokens_per_s(self) -> float:
        return self.new_tokens / self.seconds if self.seconds > 0 else 0.0


@dataclass
class LocalModel:
    """A loaded model with its tokenizer and grammar compiler; shared by every backend on it."""

    model: Any
    tokenizer: Any
    device: str
    _compiler: Any = None
    _grammars: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def grammar(self, schema: dict[str, Any]) -> Any:
        """The compiled grammar of ``schema``, compiled once per process."""
        key = json.dumps(schema)  # not sorted: property order is the order the model writes in
        if key not in self._grammars:
            import xgrammar as xgr

            if self._compiler is None:
                info = xgr.TokenizerInfo.from_huggingface(self.tokenizer, vocab_size=self.model.config.vocab_size)
                self._compiler = xgr.GrammarCompiler(info, max_threads=2)
            self._grammars[key] = self._compiler.compile_json_schema(
                key, any_whitespace=False, separators=(",", ":"), strict_mode=True
            )
        return self._grammars[key]

    @property
    def parameters(self) -> int:
        """The model's parameter count (how big a question it answers well: ``SMALL_MODEL_PARAMETERS``)."""
        return int(sum(p.numel() for p in self.model.parameters()))


_LOADED: dict[tuple[str, str | None, str, str], LocalModel] = {}
_LOAD_LOCK = threading.Lock()


def default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_local_model(source: str | Path, *, gguf_file: str | None = None, device: str | None = None, dtype: str | None = None) -> LocalModel:
    """Load (once per process) a causal LM and its tokenizer from a hub id or folder, or a GGUF file.

    ``dtype`` is a torch dtype name; default bfloat16 on a GPU and float32 on a CPU (bf16 matmuls are
    emulated on CPUs without AMX, see bench/llm.py).
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = str(source)
    if gguf_file is None and source.endswith(".gguf"):
        source, gguf_file = str(Path(source).parent), Path(source).name
    device = device or default_device()
    dtype = dtype or ("bfloat16" if device.startswith("cuda") else "float32")
    key = (source, gguf_file, device, dtype)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        extra: dict[str, Any] = {"gguf_file": gguf_file} if gguf_file else {}
        try:
            tokenizer = AutoTokenizer.from_pretrained(source, **extra)
            model = AutoModelForCausalLM.from_pretrained(source, dtype=getattr(torch, dtype), **extra)
        except (OSError, ValueError) as exc:
            what = f"{source}#{gguf_file}" if gguf_file else source
            raise LLMUnavailable(f"cannot load the model {what!r}: {exc}") from exc
        model.to(device).eval()  # type: ignore[arg-type]
        loaded = LocalModel(model=model, tokenizer=tokenizer, device=device)
        _LOADED[key] = loaded
        return loaded


@contextmanager
def torch_threads(count: int | None) -> Iterator[None]:
    """Run the block with ``count`` torch intra-op threads (unchanged when None), then restore."""
    import torch

    if not count:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class TransformersBackend:
    """``structured`` under an xgrammar grammar; ``chat`` streamed with a ``TextIteratorStreamer``."""

    def __init__(
        self,
        local: LocalModel,
        *,
        name: str = "transformers",
        temperature: float = 0.0,
        repetition_penalty: float = 1.0,
        timeout_s: float | None = None,
        chat_max_tokens: int = 512,
        cpu_threads: int | None = 1,
        retry_temperature: float = 0.7,
        string_ngram: int = 4,
        jump_forward: bool = True,
    ) -> None:
        self.name = name
        self.local = local
        self.temperature = temperature
        self.repetition_penalty = repetition_penalty
        self.timeout_s = timeout_s
        self.chat_max_tokens = chat_max_tokens
        self.retry_temperature = retry_temperature
        self.string_ngram = string_ngram
        self.jump_forward = jump_forward
        self.cpu_threads = cpu_threads if local.device == "cpu" else None
        self.last = GenerationStats()
        #: A model under ``SMALL_MODEL_PARAMETERS`` is asked small questions (``agents.llm.base.asks_small_questions``).
        self.small_model = local.parameters < SMALL_MODEL_PARAMETERS

    @classmethod
    def load(cls, source: str | Path, *, gguf_file: str | None = None, device: str | None = None, dtype: str | None = None, **options: Any) -> TransformersBackend:
        local = load_local_model(source, gguf_file=gguf_file, device=device, dtype=dtype)
        name = f"transformers:{source}" + (f"#{gguf_file}" if gguf_file else "")
        return cls(local, name=name, **options)

    # -- the protocol ------------------------------------------------------------------------------

    def structured(self, messages: Messages, schema: type[Schema], *, max_tokens: int = DEFAULT_MAX_TOKENS,
                   temperature: float | None = None) -> Schema:
        document = bounded(json_schema_of(schema))
        attempts: list[int] = []

        def generate(conversation: list[MessageDict]) -> str:
            if not attempts:
                attempts.append(1)
                return self.generate(conversation, max_tokens=max_tokens, grammar=self.local.grammar(document), temperature=temperature)
            # The re-ask samples (greedy decoding would walk into the same loop again) and, if the first answer
            # was cut off, runs under string bounds that make even a looping answer fit the token budget.
            retry = document if self.last.finished else fitted(document, max_tokens)
            again = max(self.temperature, self.retry_temperature, temperature or 0.0)
            return self.generate(conversation, max_tokens=max_tokens, grammar=self.local.grammar(retry), temperature=again)

        return validated_answer(generate, as_dicts(messages), schema, backend=self.name)

    def chat(self, messages: Messages) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self._encode(as_dicts(messages))
        streamer = TextIteratorStreamer(self.local.tokenizer, skip_prompt=True, skip_special_tokens=True)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                with self.local.lock, torch_threads(self.cpu_threads):
                    self.local.model.generate(**inputs, **self._sampling(self.chat_max_tokens), streamer=streamer)
            except BaseException as exc:  # re-raised in the consumer's thread below
                errors.append(exc)
                streamer.end()

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        yield from (piece for piece in streamer if piece)
        thread.join()
        if errors:
            raise LLMUnavailable(f"{self.name}: generation failed: {errors[0]}") from errors[0]

    # -- generation --------------------------------------------------------------------------------

    def generate(self, messages: list[MessageDict], *, max_tokens: int, grammar: Any | None = None, temperature: float | None = None) -> str:
        """Generate one answer as text (constrained when ``grammar`` is given); updates ``self.last``."""
        import torch
        import xgrammar as xgr
        from transformers import MaxTimeCriteria, StoppingCriteriaList

        inputs = self._encode(messages)
        prompt_len = int(inputs["input_ids"].shape[1])
        if grammar is not None and self.jump_forward and self.repetition_penalty == 1.0:
            return self._jump_forward(inputs["input_ids"], grammar, max_tokens, temperature)
        options = self._sampling(max_tokens, temperature)
        if grammar is not None:  # the repetition guard narrows string values first; the grammar has the last word
            guard = [StringRepeatGuard(self.local.tokenizer, prompt_len, n=self.string_ngram)] if self.string_ngram else []
            options["logits_processor"] = [*guard, xgr.contrib.hf.LogitsProcessor(grammar)]
        if self.timeout_s:
            options["stopping_criteria"] = StoppingCriteriaList([MaxTimeCriteria(self.timeout_s)])
        start = time.perf_counter()
        with self.local.lock, torch_threads(self.cpu_threads), torch.inference_mode():
            output = self.local.model.generate(**inputs, **options)
        seconds = time.perf_counter() - start
        new = output[0, prompt_len:]
        eos = set(self._eos_ids())
        finished = bool(len(new)) and int(new[-1]) in eos
        self.last = GenerationStats(prompt_len, len(new), seconds, finished, len(new))
        if self.timeout_s and seconds >= self.timeout_s and not finished:
            raise LLMTimeout(f"{self.name}: no complete answer within {self.timeout_s:.0f} s")
        return str(self.local.tokenizer.decode(new, skip_special_tokens=True))

    def _jump_forward(self, prompt_ids: Any, grammar: Any, max_tokens: int, temperature: float | None) -> str:
        """``generate`` under a grammar through ``agents.llm.jump_forward``: forced tokens without sampling."""
        import torch

        guard = [StringRepeatGuard(self.local.tokenizer, int(prompt_ids.shape[1]), n=self.string_ngram)] if self.string_ngram else []
        start = time.perf_counter()
        deadline = time.monotonic() + self.timeout_s if self.timeout_s else None
        with self.local.lock, torch_threads(self.cpu_threads), torch.inference_mode():
            out = decode(self.local.model, prompt_ids, grammar, max_tokens=max_tokens, stop_ids=self._eos_ids(),
                         temperature=self.temperature if temperature is None else temperature, processors=guard, deadline=deadline)
        seconds = time.perf_counter() - start
        self.last = GenerationStats(int(prompt_ids.shape[1]), len(out.tokens), seconds, out.finished, out.forward_passes)
        if self.timeout_s and seconds >= self.timeout_s and not out.finished:
            raise LLMTimeout(f"{self.name}: no complete answer within {self.timeout_s:.0f} s")
        return str(self.local.tokenizer.decode(out.tokens, skip_special_tokens=True))

    def _encode(self, messages: list[MessageDict]) -> dict[str, Any]:
        tok = self.local.tokenizer
        if getattr(tok, "chat_template", None):
            text = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        else:  # a bare tokenizer (tests): a plain transcript ending where the assistant speaks
            text = "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant: "
        encoded = tok(text, return_tensors="pt", add_special_tokens=False)
        return {key: value.to(self.local.device) for key, value in encoded.items() if key in ("input_ids", "attention_mask")}

    def _eos_ids(self) -> list[int]:
        config_eos = self.local.model.generation_config.eos_token_id
        ids = config_eos if isinstance(config_eos, list) else [config_eos]
        ids = [i for i in ids if i is not None]
        tok_eos = self.local.tokenizer.eos_token_id
        if tok_eos is not None and tok_eos not in ids:
            ids.append(tok_eos)
        return ids

    def _sampling(self, max_tokens: int, temperature: float | None = None) -> dict[str, Any]:
        temperature = self.temperature if temperature is None else temperature
        eos = self._eos_ids()
        pad = self.local.tokenizer.pad_token_id
        options: dict[str, Any] = {
            "max_new_tokens": max_tokens,
            "eos_token_id": eos,
            "pad_token_id": pad if pad is not None else (eos[0] if eos else 0),
            "repetition_penalty": self.repetition_penalty,
        }
        if temperature > 0:
            options.update(do_sample=True, temperature=temperature, top_p=0.95)
        else:
            options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        return options

