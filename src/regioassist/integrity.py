"""Do the two indexes agree? ``regioassist index check [--repair]``.

A check reads what Chroma and the keyword index hold, while holding the write lock (so it
sees no write half-done), and reports in one line each:

- chunks in Chroma that the keyword index lacks, and ids the keyword index has that Chroma lacks;
- a keyword index whose files cannot be read;
- a passage of a document stored twice under two ids;
- a document stored under two path keys;
- a file whose chunks come from two versions of it (half replaced).
- chunks without a file record (a write cut short), or a record out of step with its file's
  chunks (the file catalog, ``catalog.py``).

A repair, under the same lock, deletes the chunks of every file with a problem of its own,
so that the next ``regioassist ingest`` indexes it again as it would a new file, and then
rebuilds the keyword index from what Chroma holds. Ingestion uses :func:`settled_files`, so
it re-indexes such a file by itself as well.

>>> report = CheckReport("index", chroma_chunks=3, keyword_chunks=2,
...                      problems=(Problem("a.txt: 1 chunk in Chroma but not in the keyword index"),))
>>> report.consistent, report.lines()[-1]
(False, 'inconsistent: 1 problem (regioassist index check --repair mends it)')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from regioassist.catalog import FileRecord, summarise_files
from regioassist.index import LocalIndex
from regioassist.models import Chunk

EXAMPLE_IDS = 3  # ids shown in a line about ids that have no document to name


@dataclass(frozen=True)
class Problem:
    """One disagreement, as one line; ``paths`` are the path keys whose chunks a repair deletes."""

    text: str
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    index_dir: str
    chroma_chunks: int
    keyword_chunks: int | None  # None when the keyword index cannot be read
    problems: tuple[Problem, ...] = ()
    repairs: tuple[str, ...] = field(default=())  # what a repair did, one line each

    @property
    def consistent(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        keyword = "unreadable" if self.keyword_chunks is None else str(self.keyword_chunks)
        lines = [f"repaired: {r}" for r in self.repairs]
        lines.append(f"index {self.index_dir}: {self.chroma_chunks} chunks in Chroma, {keyword} in the keyword index")
        lines += [f"problem: {p.text}" for p in self.problems]
        if self.problems:
            n = len(self.problems)
            lines.append(
                f"inconsistent: {n} problem{'s' if n > 1 else ''} "
                f"(regioassist index check --repair mends {'them' if n > 1 else 'it'})"
            )
        else:
            lines.append("consistent")
        return lines


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def file_problems(chunks: Sequence[Chunk], files: dict[str, tuple[str, str]]) -> list[Problem]:
    """What is wrong inside Chroma, per document: duplicates, two path keys, two versions.

    ``files`` is the store's ``indexed_files()`` (path key -> (source, doc hash)).
    """
    keys: dict[str, list[str]] = defaultdict(list)
    for key, (source, _) in sorted(files.items()):
        keys[source].append(key)
    by_source: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_source[chunk.source].append(chunk)
    problems = []
    for source, own in sorted(by_source.items()):
        paths = tuple(keys.get(source, ()))
        if len(paths) > 1:
            problems.append(Problem(f"{source}: indexed under {len(paths)} paths ({', '.join(paths)})", paths))
        versions = {c.doc_hash for c in own}
        if len(versions) > 1:
            problems.append(Problem(f"{source}: chunks of {len(versions)} versions of the file (half replaced)", paths))
            continue  # two versions share spans; their duplicates are this problem, not another
        # One version of a file: the same offsets hold the same text, so offsets name a passage.
        passages = Counter((c.start, c.end) for c in own)
        twice = sum(1 for n in passages.values() if n > 1)
        if twice:
            problems.append(Problem(f"{source}: {_count(twice, 'passage')} stored more than once", paths))
    return problems


def settled_files(index: LocalIndex) -> dict[str, tuple[str, str]]:
    """``indexed_files()`` without the files that :func:`file_problems` would find fault with.

    Read from the file catalog, whose records say what was wrong inside a file when it was
    written (catalog.py): no chunk is read. Ingestion skips a file whose hash is indexed; a
    file left out here (half replaced, a passage twice, its name under two path keys, or no
    record at all after a write cut short) is indexed again.
    """
    records = index.store.files()
    keys = Counter(record.source for record in records.values())
    return {
        key: (record.source, record.doc_hash)
        for key, record in records.items()
        if record.settled and keys[record.source] == 1
    }


def catalog_problems(records: dict[str, FileRecord], actual: dict[str, FileRecord]) -> list[Problem]:
    """Where the file catalog and the chunks disagree: ``records`` as stored, ``actual`` summarised
    from the chunks. A write cut short leaves chunks without a record (catalog.py)."""
    problems = []
    for key in sorted(set(records) | set(actual)):
        record, chunks = records.get(key), actual.get(key)
        if record is None:
            problems.append(Problem(f"{chunks.source}: {_count(chunks.chunks, 'chunk')} without a file record "
                                    "(a write was cut short)", (key,)))
        elif chunks is None:
            problems.append(Problem(f"{record.source}: a file record without chunks", (key,)))
        elif _summary(record) != _summary(chunks):
            problems.append(Problem(f"{record.source}: the file record says {_count(record.chunks, 'chunk')}, "
                                    f"{chunks.chunks} are stored", (key,)))
    return problems


def _summary(record: FileRecord) -> tuple:
    return record.source, record.doc_hash, record.chunks, record.versions, record.repeated


def find_problems(index: LocalIndex) -> CheckReport:
    """Compare Chroma with the keyword index and with the file catalog, and look inside Chroma
    (see the module docstring)."""
    chunks = index.store.all_chunks()
    actual = summarise_files(index.store.chunk_metadata())
    problems = file_problems(chunks, {key: (r.source, r.doc_hash) for key, r in actual.items()})
    problems += [p for p in catalog_problems(index.store.files(), actual) if p not in problems]
    keyword = index.keyword
    if index.keyword_error is not None:
        problems.insert(0, Problem(f"keyword index unreadable: {index.keyword_error}"))
        return CheckReport(str(index.directory), len(chunks), None, tuple(problems))
    in_keyword = set(keyword.ids)
    missing: Counter[str] = Counter(c.source for c in chunks if c.id not in in_keyword)
    for source, n in sorted(missing.items()):
        problems.append(Problem(f"{source}: {_count(n, 'chunk')} in Chroma but not in the keyword index"))
    stale = sorted(in_keyword - {c.id for c in chunks})
    if stale:
        examples = ", ".join(stale[:EXAMPLE_IDS]) + (", ..." if len(stale) > EXAMPLE_IDS else "")
        problems.append(Problem(f"{_count(len(stale), 'chunk id')} in the keyword index but not in Chroma ({examples})"))
    duplicate_ids = len(keyword.ids) - len(in_keyword)
    if duplicate_ids:
        problems.append(Problem(f"{_count(duplicate_ids, 'chunk id')} twice in the keyword index"))
    return CheckReport(str(index.directory), len(chunks), len(keyword), tuple(problems))


def check_index(
    directory: Path, collection: str = "regioassist", on_wait: Callable[[], None] | None = None
) -> CheckReport:
    """Check the index in ``directory`` as the last write left it (waits for a running write)."""
    index = LocalIndex.open(directory, collection, mend=False)
    with index.writing(on_wait=on_wait):
        return find_problems(index)


def repair_index(
    directory: Path, collection: str = "regioassist", on_wait: Callable[[], None] | None = None
) -> CheckReport:
    """Mend what :func:`check_index` finds; the report of the check after the repair.

    The chunks of a file with a problem of its own are deleted (index it again), and the
    keyword index is rebuilt from Chroma.
    """
    index = LocalIndex.open(directory, collection, mend=False)
    with index.writing(on_wait=on_wait):
        before = find_problems(index)
        if before.consistent:
            return before
        repairs = []
        known = {**index.store.files(), **summarise_files(index.store.chunk_metadata())}
        sources = {key: record.source for key, record in known.items()}
        for key in sorted({key for problem in before.problems for key in problem.paths}):
            removed = index.store.delete_path(key)
            source = sources.get(key, key)
            repairs.append(f"deleted the {_count(removed, 'chunk')} of {source}; index it again: regioassist ingest {key}")
        index.rebuild_keyword()
        repairs.append(f"rebuilt the keyword index from the {_count(len(index.keyword), 'chunk')} in Chroma")
        after = find_problems(index)
    return CheckReport(after.index_dir, after.chroma_chunks, after.keyword_chunks, after.problems, tuple(repairs))
