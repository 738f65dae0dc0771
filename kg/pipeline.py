"""Article in, facts out: the whole analysis for one article (or a stream of them).

    Article -> spaCy Doc -> time expressions + named mentions -> resolver
            -> frames -> referents -> modality -> anchoring -> facts

The event stages each fill their own fields of a `Frame` (see `analyse`, and each stage's module).
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import queue
import signal
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from itertools import islice
from dataclasses import dataclass
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from kg import timex
from kg.anchoring import anchor_times
from kg.facts import assemble, merge_events
from kg.frames import find_frames
from kg.lexicon import Lexicon, load_lexicon
from kg.mentions import find_mentions
from kg.modality import judge_modality
from kg.nlp import joined, load_nlp, parse, pieces
from kg.referents import Referents, fill_referents
from kg.resolve import Resolver
from kg.types import Article, Extraction, article_id

EXTRACTOR_VERSION = "kg-extract/1"
T = TypeVar("T")
C = TypeVar("C")  # what travels with a text through the parser


def extractor_name(lexicon: Lexicon) -> str:
    """The extractor and the lexicon it read, as facts record it: "kg-extract/1+lexicon.c56f1aef0b17"."""
    return f"{EXTRACTOR_VERSION}+lexicon.{lexicon.digest}"


def analyse(article: Article, doc: Doc, lexicon: Lexicon) -> Extraction:
    """The facts of one article from its parsed Doc (pure: no I/O, no model loading)."""
    dct = article.date or dt.date.today()
    times = timex.tag(article.text, dct)
    mentions = find_mentions(doc, lexicon)
    resolver = Resolver(doc=doc, mentions=mentions, lexicon=lexicon, scope=article_id(article))
    referents = Referents(resolver)
    frames = find_frames(doc, lexicon, referents)  # trigger, entry, role words
    frames = fill_referents(doc, frames, referents, lexicon)  # the entity in each role
    frames = judge_modality(doc, frames, lexicon)  # asserted or not
    frames = anchor_times(doc, frames, times, referents, lexicon, article.date)  # when, or a bound
    events = assemble(doc, frames, lexicon)  # Events, one per frame, with the amounts they state
    facts = merge_events(events, lexicon, article.headline_end)  # asserted, one per real-world event, complete
    return Extraction(article=article, facts=tuple(facts), entities=tuple(resolver.entities()), times=tuple(times),
                      extractor=extractor_name(lexicon))


def extract(article: Article, nlp: Language | None = None, lexicon: Lexicon | None = None) -> Extraction:
    nlp = nlp or load_nlp()
    return analyse(article, parse(nlp, article.text), lexicon if lexicon is not None else load_lexicon())


def extract_many(articles: Iterable[Article], nlp: Language | None = None, lexicon: Lexicon | None = None,
                 *, n_process: int = 1, batch_size: int = 8) -> Generator[Extraction, None, None]:
    """Stream articles through `nlp.pipe`, so parsing is batched (and parallel with n_process > 1).

    With one process, spaCy parses ahead in a thread while the caller's thread analyses (and
    stores) the articles already parsed: the parser's matrix products run without the GIL, so
    the two overlap on a second core. `articles` is then consumed in that thread."""
    nlp = nlp or load_nlp()
    lexicon = lexicon if lexicon is not None else load_lexicon()  # an empty lexicon is falsy (len 0)
    # a long article goes through the pipe as several pieces (spaCy refuses texts over its
    # max_length) and is joined again before it is analysed
    pairs = ((piece, (article, last)) for article in articles
             for last, piece in _marked_last(pieces(article.text)))
    if n_process > 1:
        parsed = parse_in_processes(nlp, pairs, n_process=n_process, batch_size=batch_size)
    else:
        parsed = read_ahead(nlp.pipe(pairs, as_tuples=True, batch_size=batch_size), size=2 * batch_size)
    docs: list[Doc] = []
    try:
        for doc, (article, last) in parsed:
            docs.append(doc)
            if last:
                whole, docs = joined(docs), []
                yield analyse(article, whole, lexicon)
    finally:
        parsed.close()  # stops the parse thread, or the parsing processes, now


# -- parsing in several processes -----------------------------------------------------------------
# kg's own pool rather than spaCy's `n_process`: stopped early (an error, Ctrl-C, SIGTERM), spaCy's
# pipe joins workers that may be blocked for ever sending a parsed batch, and its queues' feeder
# threads then block the interpreter's exit. A multiprocessing Pool can be terminated.
_worker_nlp: Language | None = None  # the pipeline a worker parses with (inherited at fork)


def parse_in_processes(nlp: Language, items: Iterable[tuple[str, C]], *, n_process: int,
                       batch_size: int) -> Generator[tuple[Doc, C], None, None]:
    """(Doc, context) for each (text, context) of `items`, in order, parsed by `n_process`
    forked processes a batch at a time, with at most two batches per process in flight."""
    global _worker_nlp
    _worker_nlp = nlp
    pool = multiprocessing.get_context("fork").Pool(n_process, initializer=_quiet_worker)
    try:
        in_flight: deque = deque()
        for batch in batches(items, batch_size):
            texts, contexts = zip(*batch)
            in_flight.append((pool.apply_async(_parse_batch, (texts,)), contexts))
            if len(in_flight) >= 2 * n_process:
                yield from _received(nlp, *in_flight.popleft())
        while in_flight:
            yield from _received(nlp, *in_flight.popleft())
        pool.close()
        pool.join()
    finally:
        pool.terminate()  # at once, whatever the workers are doing: nothing they hold is needed


def _quiet_worker() -> None:
    """A worker leaves Ctrl-C to its parent (the terminal sends SIGINT to the whole process
    group; each worker would print a traceback), and dies of SIGTERM whatever the parent's
    handler (the CLI makes it a Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _parse_batch(texts: tuple[str, ...]) -> list[bytes]:
    assert _worker_nlp is not None
    return [doc.to_bytes() for doc in _worker_nlp.pipe(texts)]


def _received(nlp: Language, result, contexts: tuple) -> Iterator[tuple[Doc, C]]:
    for data, context in zip(result.get(), contexts):
        yield Doc(nlp.vocab).from_bytes(data), context


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter), read as they are needed."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _marked_last(items: list[T]) -> Iterator[tuple[bool, T]]:
    return ((i == len(items) - 1, item) for i, item in enumerate(items))


_END = object()


def read_ahead(items: Iterator[T], size: int) -> Generator[T, None, None]:
    """The items of `items`, produced by a background thread up to `size` ahead of the consumer.
    An exception in the producer is raised here; closing this generator stops the producer."""
    buffer: queue.Queue = queue.Queue(maxsize=size)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer, which raises it
            put(_Failure(exc))

    worker = threading.Thread(target=produce, name="kg-parse", daemon=True)
    worker.start()
    try:
        while (item := buffer.get()) is not _END:
            if isinstance(item, _Failure):
                raise item.exc
            yield item
    finally:
        stop.set()
        # wait for the batch being parsed: a thread left inside the parser's native code when
        # the interpreter exits aborts the process ("libblis: Aborting")
        worker.join()


@dataclass(frozen=True)
class _Failure:
    exc: BaseException
