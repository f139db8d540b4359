"""A repetition guard for the free text *inside* a JSON answer: no token n-gram twice in one string value.

Why not transformers' ``no_repeat_ngram_size``: it looks at the whole output, and a JSON answer repeats
its keys on purpose (``{"character":…},{"character":…}``) — banning those would fight the grammar until
no token is allowed. Small models loop *inside* strings ("I was soaked. I was soaked. …", bench and
issue 13), so the guard tracks where it is in the JSON text it has written and bans, only while inside a
string value, a token that would repeat an n-gram of that same string. Tokens holding a quote are never
banned, so the grammar can always close the string: the guard narrows what the model says, never whether
the answer parses.
"""

from __future__ import annotations

from typing import Any


class StringRepeatGuard:
    """A transformers logits processor; one per ``generate()`` (it keeps the state of one answer)."""

    def __init__(self, tokenizer: Any, prompt_len: int, *, n: int = 4) -> None:
        self.tokenizer = tokenizer
        self.prompt_len = prompt_len
        self.n = n
        self._pieces: dict[int, str] = {}
        self._seen = 0
        self._stack: list[str] = []
        self._inside = self._escaped = self._is_value = self._expect_key = False
        self._start = 0

    def _piece(self, token: int) -> str:
        if token not in self._pieces:
            self._pieces[token] = str(self.tokenizer.decode([token]))
        return self._pieces[token]

    def _advance(self, tokens: list[int]) -> None:
        """Read the tokens written since the last step through a small JSON scanner (containers, keys, strings)."""
        for i in range(self._seen, len(tokens)):
            for ch in self._piece(tokens[i]):
                if self._inside:
                    if self._escaped:
                        self._escaped = False
                    elif ch == "\\":
                        self._escaped = True
                    elif ch == '"':
                        self._inside = False
                elif ch == '"':
                    self._inside, self._is_value, self._start = True, not self._expect_key, i + 1
                elif ch in "{[":
                    self._stack.append(ch)
                    self._expect_key = ch == "{"
                elif ch in "}]":
                    if self._stack:
                        self._stack.pop()
                    self._expect_key = False
                elif ch == ":":
                    self._expect_key = False
                elif ch == ",":
                    self._expect_key = bool(self._stack) and self._stack[-1] == "{"
        self._seen = len(tokens)

    def _string_tokens(self, tokens: list[int]) -> list[int] | None:
        """The tokens of the string value being written now, or None when not inside a value string."""
        self._advance(tokens)
        if not self._inside or not self._is_value:
            return None
        return tokens[self._start:]

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        n = self.n
        for row in range(input_ids.shape[0])[:1]:  # one answer per generate() (the scanner keeps one state)
            generated = [int(t) for t in input_ids[row, self.prompt_len:]]
            current = self._string_tokens(generated)
            if current is None or len(current) < n:
                continue
            prefix = tuple(current[-(n - 1):])
            banned = {current[i + n - 1] for i in range(len(current) - n + 1) if tuple(current[i:i + n - 1]) == prefix}
            for token in banned:
                if '"' not in self._piece(token):
                    scores[row, token] = float("-inf")
        return scores
