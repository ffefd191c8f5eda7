"""A fake Gemini REST server for tests and benchmarks.

It answers the paths the real google-genai SDK calls (`models/{m}:batchEmbedContents`,
`:embedContent`, `:generateContent`, `:streamGenerateContent?alt=sse`, `GET models/{m}`)
on 127.0.0.1, in a thread of its own, so the SDK is exercised over a real socket.

- Embeddings are deterministic hashed bags of words: texts that share words get nearby
  vectors, so retrieval over it ranks pages the way a reader would expect.
- Replies depend visibly on the prompt: they cite the first passage in the system
  instruction as `[1]` with its source and first words, mention a selected passage when
  there is one, and count the earlier turns. `cite` changes the markers (a bogus `[9]`,
  say); `not_in_book` makes it answer the sentinel the engine asks for. With
  `paraphrase`, the reply says the first passages' sentences again in other words, as a
  real model does (`paraphrase`): faithful, but no longer copied, so that only the
  meaning (an embedding) can tell that they are supported.
- `hold_until_embedded`: a reply (a stream's last chunk, or a whole reply) waits until an
  embedding request holding that text has arrived (`hold_timeout` at most); `held`
  records for each hold whether the embedding came. Tests see the order of requests
  without timing them.
- A follow-up rewrite (a system instruction holding `CONDENSE_MARKER`) is answered with a
  standalone question: the last earlier user question and the follow-up, joined. Those
  calls are recorded as kind "condense" and fail or hang by that kind.
- It thinks as Gemini 3 does: before the first token it waits for the request's
  `generationConfig.thinkingConfig.thinkingLevel` (none sent: MINIMAL for a Flash-Lite
  model, MEDIUM for the others), `THINKING_SECONDS` times `thinking_scale` (0 in tests,
  1 in the benchmark), and reports that level's `thoughtsTokenCount` in `usageMetadata`.
- Each test can make it slow, fail (status per kind, for the next N calls), hang, end a
  candidate with another finishReason (after the text so far, as Gemini does), send
  malformed or truncated JSON (`garble`), end a stream with no finishReason, or stream
  many chunks slowly. Every request is recorded in `requests`. `embed_match` narrows
  the embedding faults and hangs to calls with a text holding it; `embeds_aborted`
  counts the embedding calls their client gave up.
- Embedding calls meet Gemini's limits: more than 100 texts or a body over 4 MB is a 400
  `INVALID_ARGUMENT` in Gemini's words; `embed_quota` texts a `quota_window` (each text
  counted, as on the free tier), then a 429 with a `RetryInfo` detail and `Retry-After`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    """a an and are as at be by do does for from how i in is it its of on or that the this
    to was what when where which who why with you your can my me we""".split()
)
DEFAULT_DIM = 3072
MAX_BATCH_TEXTS = 100  # batchEmbedContents' limits
MAX_REQUEST_BYTES = 4 * 1024 * 1024
CONDENSE_MARKER = "standalone question"
THINKING_SECONDS = {"MINIMAL": 0.0, "LOW": 0.4, "MEDIUM": 1.3, "HIGH": 3.0}
"""Time a level thinks before the first token (scaled by `FakeGemini.thinking_scale`)."""
THOUGHT_TOKENS = {"MINIMAL": 0, "LOW": 40, "MEDIUM": 160, "HIGH": 600}
PROMPT_TOKENS, OUTPUT_TOKENS = 10, 5  # usageMetadata of every finished reply
SYNONYMS = {
    word: other
    for pair in """measure gauge|measures gauges|measured gauged|use employ|uses employs
    build assemble|builds assembles|send transmit|sends transmits|receive obtain
    receives obtains|carry convey|carries conveys|estimate infer|estimates infers|cut sever
    cuts severs|restart reboot|cleared resolved|fire emit|surroundings environment
    power energy|button switch|data information|messages notes|settings options
    small little|large big|start begin|starts begins|stop halt|stops halts|run execute
    runs executes|show display|shows displays|keep retain|keeps retains|need require
    needs requires|check verify|checks verifies|change alter|changes alters|help assist
    helps assists|important crucial|different distinct|fast quick|quickly rapidly
    often frequently|also additionally|because since|before prior to|after following
    joint articulation|joints articulations|move shift|moves shifts|movement motion
    safe secure|safety protection|error fault|errors faults|value quantity|values quantities
    reads senses|read sense|write record|writes records|set configure|sets configures
    give provide|gives provides|allow permit|allows permits|prevent avert|prevents averts
    reduce lower|reduces lowers|increase raise|increases raises|simple plain|common usual
    each every|main principal|several multiple|usually normally|always invariably""".replace(
        "\n", "|"
    ).split("|")
    for word, other in [pair.split(None, 1)]
}
"""Words a paraphrasing reply says otherwise (`paraphrase`)."""
LEADS = (
    "in other words", "put simply", "roughly speaking", "in practice", "broadly", "notably",
    "in short", "simply put", "to summarise", "essentially", "as a rule", "generally",
    "in brief", "basically", "overall",
)  # fmt: skip
"""Lead-ins of a paraphrasing reply's sentences: one each, more when too few words
could be swapped; which one turns with each reply, so that no two replies are alike."""


def sent_thinking_level(body: dict[str, Any]) -> str | None:
    """The thinking level a request sends. The SDK writes the thinking config's fields in
    snake case (`thinking_level`), which Gemini's JSON parsing accepts as camel case."""
    config = (body.get("generationConfig") or {}).get("thinkingConfig") or {}
    level = config.get("thinkingLevel", config.get("thinking_level"))
    return level if isinstance(level, str) else None


def thinking_level(model: str, body: dict[str, Any]) -> str:
    """The level a request thinks at: the one it sends, else the model's default."""
    level = sent_thinking_level(body)
    if level in THINKING_SECONDS:
        return str(level)
    return "MINIMAL" if "flash-lite" in model else "MEDIUM"


def embed_text(text: str, dim: int = DEFAULT_DIM) -> list[float]:
    """A unit vector with one signed bucket per distinct content word."""
    vector = [0.0] * dim
    words = [w for w in WORD.findall(text.lower()) if w not in STOPWORDS]
    for word in set(words):
        digest = hashlib.md5(word.encode()).digest()
        index = int.from_bytes(digest[:4], "big") % dim
        vector[index] += 1.0 if digest[4] % 2 == 0 else -1.0
    if not words:
        vector[0] = 1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


def passages_of(system: str) -> list[str]:
    """The passages' texts in a system instruction (`[n] source: ...`, metadata lines, a
    blank line, the text), fenced code and Markdown structure lines left out."""
    found = []
    for block in re.split(r"^\[\d+\] ", system, flags=re.M)[1:]:
        body = block.split("\n\n", 1)[1] if "\n\n" in block else ""
        body = body.split("\n---------------------", 1)[0]
        lines, in_code = [], False
        for line in body.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            elif not in_code and re.match(r"\s*[A-Za-z]", line) and "|" not in line:
                lines.append(line.strip())
        found.append(" ".join(lines))
    return found


def paraphrase_sentence(sentence: str, variant: int = 0) -> str:
    """`sentence` in other words: cut at a `;` or a dash when long, about a third of its
    content words swapped for synonyms (`SYNONYMS`), a lead-in of `LEADS` (the
    `variant`th, and the next ones while too few words could be swapped). Numbers,
    identifiers and names are kept as they are."""
    words = sentence.split(" ")
    if len(words) > 16:
        cut = next((i for i, w in enumerate(words) if i > 6 and (w[-1:] in ";:" or w == "-")), 0)
        words = words[: cut + 1] if cut else words
        words[-1] = words[-1].rstrip(";:-")
        words = [w for w in words if w]
    content = [
        i
        for i, w in enumerate(words)
        if WORD.fullmatch(core := w.lower().strip(",.;:!?()*")) and core not in STOPWORDS
    ]
    budget = max(1, round(len(content) * 0.3))
    swapped = 0
    for i in content:
        core = words[i].strip(",.;:!?()*")
        other = SYNONYMS.get(core.lower())
        if other is None or swapped >= budget:
            continue
        words[i] = words[i].replace(core, other.capitalize() if core[0].isupper() else other)
        swapped += 1
    said = " ".join(words)
    lead = [LEADS[variant % len(LEADS)]]
    while swapped + len(lead) < budget:
        lead.append(LEADS[(variant + len(lead)) % len(LEADS)])
    first = said.split(" ", 1)[0]
    said = f"{said[0].lower()}{said[1:]}" if first.istitle() else said
    return f"{', '.join(lead).capitalize()}, {said}"


def paraphrased(system: str, variant: int = 0, sentences: int = 3) -> str:
    """A reply that says the first sentences of the first passages again, in other words
    (`paraphrase_sentence`), each with the marker of its passage."""
    said: list[str] = []
    for number, text in enumerate(passages_of(system), 1):
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
            if len(said) >= sentences:
                break
            if len(sentence.split()) < 4:
                continue
            body = paraphrase_sentence(sentence.rstrip(".!?:; "), variant + len(said))
            said.append(f"{body} [{number}].")
        if number >= 2 or len(said) >= sentences:
            break
    return " ".join(said)


@dataclass
class Fault:
    status: int
    remaining: int  # calls still to fail; -1 = every call
    message: str = "injected fault"


@dataclass
class Recorded:
    kind: str  # "embed", "generate", "stream", "model"
    model: str
    body: dict[str, Any]


@dataclass
class FakeGemini:
    """Behaviour knobs are plain attributes; set them from a test before calling."""

    embed_delay: float = 0.0  # each embedding call's latency
    embed_quota: int | None = None  # texts a quota window, each text counted (free tier)
    quota_window: float = 60.0  # seconds
    retry_delay: str = "7s"  # a 429's RetryInfo `retryDelay` (an injected fault's)
    generate_delay: float = 0.0
    condense_delay: float = 0.0  # a follow-up rewrite's latency
    first_token_delay: float = 0.0
    token_delay: float = 0.0
    stream_chunks: int | None = None  # None: one chunk a word of the reply
    finish_reason: str = "STOP"
    reply: str | None = None  # fixed reply text instead of the context-dependent one
    thinking_scale: float = 0.0  # 1.0: think as long as THINKING_SECONDS says
    garble: str | None = None  # "malformed" or "truncated": the reply's JSON (after 2 chunks)
    no_finish: bool = False  # a stream ends with no finishReason (cut between chunks)
    cite: tuple[int, ...] = (1,)  # the markers the reply carries
    not_in_book: bool = False  # reply with the engine's "not in the book" sentinel
    block_reason: str | None = None  # refuse the prompt: promptFeedback, no candidates
    paraphrase: bool = False  # say the first passages' sentences in other words
    hold_until_embedded: str | None = None  # a reply's last chunk waits for this embedding
    hold_timeout: float = 10.0  # seconds a hold waits at most
    held: list[bool] = field(default_factory=list)  # each hold: did the embedding come?
    embed_match: str | None = None  # embedding faults and hangs only for calls holding it
    embeds_aborted: int = 0
    _embedded: asyncio.Event = field(default_factory=asyncio.Event)
    _replies: int = 0
    hang: set[str] = field(default_factory=set)
    faults: dict[str, Fault] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    embeds_in_flight: int = 0
    max_embeds_in_flight: int = 0
    quota_refusals: int = 0
    _quota_used: int = 0
    _quota_start: float = 0.0
    streams_aborted: int = 0
    streams_completed: int = 0
    chunks_sent: int = 0
    base_url: str = ""

    # ------------------------------------------------------------------ controls
    def fail(self, kind: str, status: int, times: int = -1, message: str = "injected") -> None:
        """Make `kind` ("embed", "generate", "stream") answer `status` `times` times."""
        self.faults[kind] = Fault(status, times, message)

    def wait_for_abort(self, timeout: float = 10.0) -> None:
        """Block until a streamed reply was cut by its client (or `timeout` passed)."""
        deadline = time.monotonic() + timeout
        while self.streams_aborted == 0 and time.monotonic() < deadline:
            time.sleep(0.05)

    def of_kind(self, kind: str) -> list[Recorded]:
        return [r for r in self.requests if r.kind == kind]

    def reset(self) -> None:
        self.__init__(base_url=self.base_url)  # type: ignore[misc]

    # ------------------------------------------------------------------ replies
    @staticmethod
    def system_of(body: dict[str, Any]) -> str:
        return " ".join(
            part.get("text", "") for part in (body.get("systemInstruction") or {}).get("parts", [])
        )

    @staticmethod
    def rewrite(body: dict[str, Any]) -> str:
        """A standalone question: the last earlier user question, then the follow-up."""
        text = " ".join(
            p.get("text", "") for c in body.get("contents", []) for p in c.get("parts", [])
        )
        earlier = re.findall(r"^user: (.+)$", text, re.M)
        follow_up = re.search(r"^Follow-up: (.+)$", text, re.M)
        question = follow_up.group(1) if follow_up else text
        return f"{earlier[-1]} {question}" if earlier else question

    def reply_for(self, body: dict[str, Any]) -> str:
        if self.reply is not None:
            return self.reply
        if self.not_in_book:
            return "NOT_IN_BOOK"
        system = self.system_of(body)
        if self.paraphrase and (said := paraphrased(system, self._replies)):
            self._replies += 1
            return said
        contents = body.get("contents", [])
        question = ""
        if contents:
            question = " ".join(p.get("text", "") for p in contents[-1].get("parts", []))
        pieces = []
        selected = re.search(r"<selected_passage>\n(.*?)\n</selected_passage>", system, re.S)
        if selected:
            pieces.append(
                f"About the selected passage ({' '.join(selected.group(1).split()[:6])}):"
            )
        passage = re.search(r"source: (\S+)\n(?:.*\n)*?\n(.+)", system)
        if passage:
            first_words = " ".join(passage.group(2).split()[:8])
            markers = "".join(f"[{n}]" for n in self.cite)
            pieces.append(f"According to {markers} {passage.group(1)}: {first_words}")
        else:
            pieces.append("The book has no passage on this.")
        pieces.append(
            f"(question: {' '.join(question.split()[:6])}; earlier turns: {len(contents) - 1})"
        )
        return " ".join(pieces)

    # ------------------------------------------------------------------ server
    async def _maybe_fault(self, kind: str) -> web.Response | None:
        if kind in self.hang:
            await asyncio.sleep(3600)
        fault = self.faults.get(kind)
        if fault and fault.remaining != 0:
            if fault.remaining > 0:
                fault.remaining -= 1
            status = {
                429: "RESOURCE_EXHAUSTED",
                500: "INTERNAL",
                503: "UNAVAILABLE",
                400: "INVALID_ARGUMENT",
                403: "PERMISSION_DENIED",
                404: "NOT_FOUND",
                504: "DEADLINE_EXCEEDED",
            }.get(fault.status, "UNKNOWN")
            error: dict[str, Any] = {
                "code": fault.status,
                "message": fault.message,
                "status": status,
            }
            if fault.status == 429:
                error["details"] = [
                    {
                        "@type": "type.googleapis.com/google.rpc.RetryInfo",
                        "retryDelay": self.retry_delay,
                    }
                ]
            return web.json_response({"error": error}, status=fault.status)
        return None

    @staticmethod
    def _invalid(message: str) -> web.Response:
        error = {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}
        return web.json_response({"error": error}, status=400)

    def _over_quota(self, texts: int) -> web.Response | None:
        """A 429 as Gemini's free tier gives it when `texts` more would pass the quota
        (each text counts); the texts of an answered call count."""
        if self.embed_quota is None:
            return None
        now = time.monotonic()
        if now - self._quota_start >= self.quota_window:
            self._quota_start, self._quota_used = now, 0
        if self._quota_used + texts <= self.embed_quota:
            self._quota_used += texts
            return None
        self.quota_refusals += 1
        wait = self._quota_start + self.quota_window - now
        error = {
            "code": 429,
            "message": "You exceeded your current quota, please check your plan and billing "
            "details. Quota exceeded for metric: generativelanguage.googleapis.com/"
            f"embed_content_free_tier_requests, limit: {self.embed_quota}",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                    "violations": [
                        {
                            "quotaMetric": "generativelanguage.googleapis.com/"
                            "embed_content_free_tier_requests",
                            "quotaId": "EmbedContentRequestsPerMinutePerProjectPerModel-FreeTier",
                        }
                    ],
                },
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{wait:.3f}s"},
            ],
        }
        headers = {"Retry-After": str(max(1, math.ceil(wait)))}
        return web.json_response({"error": error}, status=429, headers=headers)

    async def _embed(self, request: web.Request) -> web.StreamResponse:
        model, method = request.match_info["model"], request.match_info["method"]
        raw = await request.read()
        body = json.loads(raw)
        if method == "embedContent":
            items = [body]
        elif method == "batchEmbedContents":
            items = body.get("requests", [])
        elif method in ("generateContent", "streamGenerateContent"):
            return await self._generate(request, model, method, body)
        else:
            return web.json_response(
                {"error": {"code": 404, "message": "no such method", "status": "NOT_FOUND"}},
                status=404,
            )
        self.requests.append(Recorded("embed", model, body))
        texts = [
            " ".join(p.get("text", "") for p in item.get("content", {}).get("parts", []))
            for item in items
        ]
        if self.hold_until_embedded is not None and any(
            self.hold_until_embedded in text for text in texts
        ):
            self._embedded.set()
        matched = self.embed_match is None or any(self.embed_match in text for text in texts)
        # Gemini's limits, as it words them.
        if len(raw) > MAX_REQUEST_BYTES:
            return self._invalid(
                f"Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes."
            )
        if len(items) > MAX_BATCH_TEXTS:
            return self._invalid(
                "* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n"
            )
        self.embeds_in_flight += 1
        self.max_embeds_in_flight = max(self.max_embeds_in_flight, self.embeds_in_flight)
        try:
            if self.embed_delay:
                await asyncio.sleep(self.embed_delay)
            fault = await self._maybe_fault("embed") if matched else None
        except asyncio.CancelledError:
            self.embeds_aborted += 1
            raise
        finally:
            self.embeds_in_flight -= 1
        if fault is not None:
            return fault
        if (refused := self._over_quota(len(items))) is not None:
            return refused
        vectors = []
        for item, text in zip(items, texts, strict=True):
            dim = int(
                item.get("outputDimensionality")
                or (body.get("outputDimensionality") or DEFAULT_DIM)
            )
            vectors.append({"values": embed_text(text, dim)})
        if method == "embedContent":
            return web.json_response({"embedding": vectors[0]})
        return web.json_response({"embeddings": vectors})

    def _response(self, text: str, finish: str | None, level: str = "MINIMAL") -> dict[str, Any]:
        candidate: dict[str, Any] = {
            "content": {"role": "model", "parts": [{"text": text}]},
            "index": 0,
        }
        out: dict[str, Any] = {"candidates": [candidate], "modelVersion": "fake"}
        if finish:
            candidate["finishReason"] = finish
            thoughts = THOUGHT_TOKENS[level]
            out["usageMetadata"] = {
                "promptTokenCount": PROMPT_TOKENS,
                "candidatesTokenCount": OUTPUT_TOKENS,
                "totalTokenCount": PROMPT_TOKENS + OUTPUT_TOKENS + thoughts,
                **({"thoughtsTokenCount": thoughts} if thoughts else {}),
            }
        return out

    async def _think(self, level: str) -> None:
        if self.thinking_scale:
            await asyncio.sleep(THINKING_SECONDS[level] * self.thinking_scale)

    async def _hold(self) -> None:
        """Wait for the embedding `hold_until_embedded` names (at most `hold_timeout`)."""
        if self.hold_until_embedded is None:
            return
        try:
            await asyncio.wait_for(self._embedded.wait(), self.hold_timeout)
            self.held.append(True)
        except TimeoutError:
            self.held.append(False)

    def _garbled(self, payload: dict[str, Any]) -> str:
        text = json.dumps(payload)
        if self.garble == "truncated":
            return text[: len(text) // 2]
        return "<html><body>502 Bad Gateway</body></html>"

    async def _generate(
        self, request: web.Request, model: str, method: str, body: dict[str, Any]
    ) -> web.StreamResponse:
        kind = "stream" if method == "streamGenerateContent" else "generate"
        if CONDENSE_MARKER in self.system_of(body):
            kind = "condense"
        self.requests.append(Recorded(kind, model, body))
        level = thinking_level(model, body)
        if self.generate_delay and kind == "generate":
            await asyncio.sleep(self.generate_delay)
        if (fault := await self._maybe_fault(kind)) is not None:
            return fault
        if kind == "condense":
            if self.condense_delay:
                await asyncio.sleep(self.condense_delay)
            await self._think(level)
            return web.json_response(self._response(self.rewrite(body), "STOP", level))
        text = self.reply_for(body)
        if self.block_reason is not None:
            blocked = {"promptFeedback": {"blockReason": self.block_reason}}
            if kind == "generate":
                return web.json_response(blocked)
            response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
            await response.prepare(request)
            await response.write(f"data: {json.dumps(blocked)}\r\n\r\n".encode())
            await response.write_eof()
            return response
        if kind == "generate":
            await self._think(level)
            await self._hold()
            if self.finish_reason != "STOP":  # the text so far, as Gemini sends it
                text = " ".join(text.split(" ")[: max(1, len(text.split(" ")) // 2)])
            payload = self._response(text, self.finish_reason, level)
            if self.garble:
                return web.Response(text=self._garbled(payload), content_type="application/json")
            return web.json_response(payload)
        words = text.split(" ")
        if self.stream_chunks and self.paraphrase:  # the whole reply, in that many chunks
            size = math.ceil(len(words) / self.stream_chunks)
            words = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
        elif self.stream_chunks:
            words = (words * (self.stream_chunks // max(len(words), 1) + 1))[: self.stream_chunks]
        chunks = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        try:
            if self.first_token_delay:
                await asyncio.sleep(self.first_token_delay)
            await self._think(level)
            for i, chunk in enumerate(chunks):
                last = i == len(chunks) - 1
                if last:
                    await self._hold()
                finish = self.finish_reason if last and not self.no_finish else None
                payload = self._response(chunk, finish, level)
                data = json.dumps(payload)
                if self.garble and i >= 2:
                    await response.write(f"data: {self._garbled(payload)}\r\n\r\n".encode())
                    break
                await response.write(f"data: {data}\r\n\r\n".encode())
                self.chunks_sent += 1
                if not last and self.token_delay:
                    await asyncio.sleep(self.token_delay)
            await response.write_eof()
            self.streams_completed += 1
        except (ConnectionError, asyncio.CancelledError):
            self.streams_aborted += 1
            raise
        return response

    async def _model(self, request: web.Request) -> web.Response:
        model = request.match_info["model"]
        self.requests.append(Recorded("model", model, {}))
        return web.json_response(
            {
                "name": f"models/{model}",
                "inputTokenLimit": 1048576,
                "outputTokenLimit": 65536,
                "supportedGenerationMethods": ["generateContent"],
            }
        )

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * MAX_REQUEST_BYTES)  # refused by us
        app.router.add_post("/{version}/models/{model}:{method}", self._embed)
        app.router.add_get("/{version}/models/{model}", self._model)
        return app


@contextmanager
def running_fake_gemini(fake: FakeGemini | None = None, port: int = 0) -> Iterator[FakeGemini]:
    """Serve `fake` on 127.0.0.1 in a background thread; `fake.base_url` is set."""
    fake = fake or FakeGemini()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    runner = web.AppRunner(
        fake.app(), handler_cancellation=True, access_log=None, shutdown_timeout=0.5
    )

    async def start() -> None:
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        fake.base_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
        started.set()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=serve, name="fake-gemini", daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("the fake Gemini server did not start")
    try:
        yield fake
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def main() -> None:  # pragma: no cover - manual use and benchmarks
    """`python -m tests.support.fake_gemini [--port P] [--embed-delay S] ...` serves until
    killed."""
    import argparse

    parser = argparse.ArgumentParser(description="A fake Gemini REST server.")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--embed-delay", type=float, default=0.0, help="each embedding call")
    parser.add_argument("--embed-quota", type=int, default=None, help="texts a quota window")
    parser.add_argument("--quota-window", type=float, default=60.0, help="seconds")
    parser.add_argument("--generate-delay", type=float, default=0.0, help="non-streamed")
    parser.add_argument("--condense-delay", type=float, default=0.0, help="follow-up rewrites")
    parser.add_argument("--first-token-delay", type=float, default=0.0, help="streamed")
    parser.add_argument("--token-delay", type=float, default=0.0)
    parser.add_argument("--stream-chunks", type=int, default=None)
    parser.add_argument(
        "--thinking-scale", type=float, default=0.0, help="1: think as Gemini 3 does"
    )
    parser.add_argument(
        "--paraphrase", action="store_true", help="replies say the passages in other words"
    )
    parser.add_argument("--quiet", action="store_true", help="keep no request log")
    args = parser.parse_args()
    fake = FakeGemini(
        embed_delay=args.embed_delay,
        embed_quota=args.embed_quota,
        quota_window=args.quota_window,
        generate_delay=args.generate_delay,
        condense_delay=args.condense_delay,
        first_token_delay=args.first_token_delay,
        token_delay=args.token_delay,
        stream_chunks=args.stream_chunks,
        thinking_scale=args.thinking_scale,
        paraphrase=args.paraphrase,
    )
    if args.quiet:
        fake.requests = _Discard()
    with running_fake_gemini(fake, port=args.port) as server:
        print(f"fake Gemini on {server.base_url}", flush=True)
        while True:
            time.sleep(3600)


class _Discard(list[Recorded]):
    """A request log that keeps nothing (long benchmark runs)."""

    def append(self, item: Recorded) -> None:
        return None


if __name__ == "__main__":  # pragma: no cover
    main()
