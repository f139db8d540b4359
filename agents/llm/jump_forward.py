"""Grammar-constrained decoding with jump-forward: what the grammar forces is written without sampling.

Why: most tokens of a crew answer are forced by its schema — keys, brackets, the rest of an enum value
once its first token is chosen, the scene ids (``{"scene":"s1","blocking":[{"character":"`` …). Through
transformers' ``generate`` each of them still costs one decoding step, one token at a time: on this
2-core CPU a step of the bundled 135M model is ~80 ms, and the crew's answers are 30-80 % forced
(measured by ``bench/jump_forward.py``). xgrammar knows the forced continuation
(``GrammarMatcher.find_jump_forward_tokens``); this loop appends it and runs the model over those tokens
in one forward pass, as a prefill, before sampling the next free token (the technique of SGLang's
jump-forward decoding). The answer is still only what the grammar allows; the forced tokens may be
split differently from the tokenizer's own encoding, which the grammar accepts and the text does not
show.

The loop also stops as soon as the grammar is complete (the root object closed) instead of spending a
step on the end-of-text token. The free text keeps the same guard as ``generate`` (``logits_processors``,
e.g. ``agents.llm.repetition.StringRepeatGuard``), called with the whole sequence as transformers would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: A transformers-style logits processor: (input_ids [1, n], scores [1, vocab]) -> scores.
LogitsProcessor = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Decoded:
    """The generated token ids and how they were made."""

    tokens: list[int]
    finished: bool  # the grammar completed (or a stop token) before max_tokens or the deadline
    forward_passes: int
    forced: int  # tokens appended by jump-forward, without sampling


def decode(model: Any, prompt_ids: Any, grammar: Any, *, max_tokens: int, stop_ids: Sequence[int],
           temperature: float = 0.0, top_p: float = 0.95, processors: Sequence[LogitsProcessor] = (),
           deadline: float | None = None) -> Decoded:
    """Decode one answer for ``prompt_ids`` ([1, n] on the model's device) under ``grammar`` (a compiled xgrammar grammar)."""
    import torch
    import xgrammar as xgr
    from transformers import DynamicCache

    matcher = xgr.GrammarMatcher(grammar)
    vocab = grammar.tokenizer_info.vocab_size
    bitmask = xgr.allocate_token_bitmask(1, vocab)
    cache = DynamicCache()
    device = prompt_ids.device
    sequence: list[int] = [int(t) for t in prompt_ids[0]]
    prompt_len = len(sequence)
    passes = forced = 0
    finished = False
    stops = set(stop_ids)
    opening = _jump(matcher, max_tokens)  # the answer's forced opening ('{"scenes":[{"scene":"') rides on the prefill
    sequence += opening
    forced += len(opening)
    chunk = torch.cat([prompt_ids, torch.tensor([opening], dtype=prompt_ids.dtype, device=device)], dim=1) if opening else prompt_ids
    while len(sequence) - prompt_len < max_tokens:
        if deadline is not None and time.monotonic() >= deadline:
            break
        with torch.inference_mode():
            out = model(input_ids=chunk, cache=cache, use_cache=True)
        passes += 1
        scores = out.logits[:, -1, :vocab].float()
        if processors:
            full = torch.tensor([sequence], device=device)
            for processor in processors:
                scores = processor(full, scores)
        matcher.fill_next_token_bitmask(bitmask)
        xgr.apply_token_bitmask_inplace(scores, bitmask.to(scores.device))
        token = _pick(scores, temperature, top_p)
        if token in stops or not matcher.accept_token(token):
            finished = token in stops
            break
        sequence.append(token)
        if matcher.is_completed() or matcher.is_terminated():
            finished = True
            break
        jump = _jump(matcher, max_tokens - (len(sequence) - prompt_len))
        sequence += jump
        forced += len(jump)
        if jump and (matcher.is_completed() or matcher.is_terminated()):
            finished = True
            break
        chunk = torch.tensor([[token, *jump]], device=device)
    return Decoded(sequence[prompt_len:], finished, passes, forced)


def _jump(matcher: Any, room: int) -> list[int]:
    """The forced tokens from here (at most ``room``), accepted by ``matcher``."""
    jump: list[int] = []
    for t in list(matcher.find_jump_forward_tokens())[: max(0, room)]:
        if not matcher.accept_token(t):  # not expected for tokens the matcher proposed; stop there
            break
        jump.append(t)
    return jump


def _pick(scores: Any, temperature: float, top_p: float) -> int:
    """Greedy at temperature 0, else nucleus sampling (as transformers' ``do_sample`` with ``top_p``)."""
    import torch

    if temperature <= 0:
        return int(torch.argmax(scores[0]))
    probs = torch.softmax(scores[0] / temperature, dim=-1)
    ordered, index = torch.sort(probs, descending=True)
    keep = torch.cumsum(ordered, dim=-1) - ordered < top_p  # the smallest set whose mass reaches top_p
    ordered = ordered * keep
    choice = torch.multinomial(ordered / ordered.sum(), 1)
    return int(index[choice])
