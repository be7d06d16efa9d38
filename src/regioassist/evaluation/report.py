"""Evaluation report: one JSON, Markdown and self-contained HTML file per run.

``write_report`` takes a plain run dict (the JSON that is stored)::

    {"created": "2025-01-31T12:00:00", "settings": {...},
     "systems": {"regioassist": summarize(...), "baseline": summarize(...)},
     "items": [{"id": ..., "latency_s": 1.2, ...}, ...],   # regioassist, per item
     "thresholds": {"hit@5": 0.8, ...}, "threshold_failures": [...]}

and writes ``<out_dir>/<created>.{json,md,html}`` plus ``latest.{json,md,html}``
copies. Regressions are flagged against the previous report in ``out_dir``.

>>> from regioassist.evaluation.metrics import summarize
>>> import tempfile
>>> run = {"created": "2025-01-31T12:00:00", "settings": {}, "items": [],
...        "systems": {"regioassist": summarize([]), "baseline": summarize([])}}
>>> write_report(run, Path(tempfile.mkdtemp())).json.name
'2025-01-31T12-00-00.json'
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from regioassist.evaluation.metrics import LOWER_IS_BETTER, METRIC_NAMES

SYSTEM = "regioassist"
BASELINE = "baseline"
# A metric regressed when it got worse by more than this, in absolute terms
# (0.80 -> 0.77 is a regression, 0.80 -> 0.79 is noise).
REGRESSION_TOLERANCE = 0.02
# p95 latency regressed when more than 25% slower: 2.0 s -> 2.6 s (+30%) is flagged.
LATENCY_TOLERANCE = 0.25
PLOTTED_METRICS = ("hit@5", "fact_recall", "citation_recall")
_LATEST = "latest"


@dataclass(frozen=True)
class ReportPaths:
    """Where ``write_report`` put this run's report."""

    json: Path
    markdown: Path
    html: Path


@dataclass(frozen=True)
class Regression:
    """A regioassist metric that got worse since the previous report."""

    scope: str  # "overall" or a category
    metric: str
    previous: float
    current: float

    def __str__(self) -> str:
        return f"{self.scope} {self.metric}: {self.previous:.3f} -> {self.current:.3f}"


def _stem(created: str) -> str:
    """A file-name-safe timestamp: "2025-01-31T12:00:00" -> "2025-01-31T12-00-00"."""
    return re.sub(r"[^0-9A-Za-z_.+-]", "-", created)


def find_previous(out_dir: Path, before: str | None = None) -> Path | None:
    """The most recent report JSON in ``out_dir`` (never latest.json), by file name.

    With ``before`` (a file stem) only reports named earlier than it count. File names are
    ISO timestamps, so name order is time order.
    """
    if not out_dir.is_dir():
        return None
    reports = sorted(
        p for p in out_dir.glob("*.json") if p.stem != _LATEST and (before is None or p.stem < before)
    )
    return reports[-1] if reports else None


def _worse(metric: str, previous: float, current: float) -> bool:
    if metric == "latency_p95_s":
        return current > previous * (1 + LATENCY_TOLERANCE)
    if metric.startswith("latency_"):
        return False  # only p95 latency is guarded
    if metric in LOWER_IS_BETTER:
        return current - previous > REGRESSION_TOLERANCE
    return previous - current > REGRESSION_TOLERANCE


def compare(current: dict, previous: dict) -> list[Regression]:
    """Regioassist metrics (overall and per category) that got worse since ``previous``.

    Metrics undefined in either run, and categories missing from either, are skipped.
    """
    now, then = current["systems"][SYSTEM], previous["systems"][SYSTEM]
    scopes = [("overall", now["overall"], then["overall"])]
    for category in sorted(set(now.get("by_category", {})) & set(then.get("by_category", {}))):
        scopes.append((category, now["by_category"][category], then["by_category"][category]))
    regressions = []
    for scope, cur, prev in scopes:
        for metric in METRIC_NAMES:
            if metric == "n" or cur.get(metric) is None or prev.get(metric) is None:
                continue
            if _worse(metric, prev[metric], cur[metric]):
                regressions.append(Regression(scope, metric, prev[metric], cur[metric]))
    return regressions


# --- Tables shared by Markdown and HTML ---------------------------------------------

_HEADER = ("scope", "n", SYSTEM, BASELINE, "ratio")


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None or theirs == 0:
        return "–"
    return f"{ours / theirs:.2f}×"  # 0.80 / 0.40 -> "2.00×"


def _scopes(run: dict) -> list[str]:
    categories: set[str] = set()
    for name in (SYSTEM, BASELINE):
        categories |= set(run["systems"].get(name, {}).get("by_category", {}))
    return ["overall", *sorted(categories)]


def _group(run: dict, system: str, scope: str) -> dict:
    summary = run["systems"].get(system, {})
    return summary.get("overall", {}) if scope == "overall" else summary.get("by_category", {}).get(scope, {})


def _metric_tables(run: dict) -> list[tuple[str, list[list[str]]]]:
    """One (metric, rows) table per metric; rows are overall first, then categories."""
    tables = []
    for metric in METRIC_NAMES[1:]:
        rows = []
        for scope in _scopes(run):
            ours, theirs = _group(run, SYSTEM, scope), _group(run, BASELINE, scope)
            n = ours.get("n", theirs.get("n"))
            rows.append([scope, _fmt(n), _fmt(ours.get(metric)), _fmt(theirs.get(metric)),
                         _ratio(ours.get(metric), theirs.get(metric))])
        tables.append((metric, rows))
    return tables


def _failure_lines(run: dict) -> list[str]:
    lines = []
    for failure in run.get("threshold_failures", []):
        if isinstance(failure, dict):
            lines.append(", ".join(f"{k}: {_fmt(v)}" for k, v in failure.items()))
        else:
            lines.append(str(failure))
    return lines


def _threshold_rows(run: dict) -> list[list[str]]:
    """One row per threshold; a key "scope/metric" is looked up in that category or variant."""
    rows = []
    variants = run.get("variants", {})
    for key, limit in run.get("thresholds", {}).items():
        scope, _, metric = key.rpartition("/")
        group = variants[scope]["summary"]["overall"] if scope in variants else _group(run, SYSTEM, scope or "overall")
        rows.append([key, _fmt(limit), _fmt(group.get(metric))])
    return rows


_DECLINE_HEADER = ("threshold", "declined unanswerable", "wrongly declined")
_TYPE_HEADER = ("answer type", "n", "fact recall", "all facts in the answer")
_VARIANT_HEADER = ("run", "documents", "n", "hit@5", "fact recall", "hit@5 gap", "fact recall gap",
                   "unanswerable declined", "wrongly declined")


def _declining(run: dict) -> dict:
    return run["systems"].get(SYSTEM, {}).get("declining", {})


def _declining_lines(run: dict) -> list[str]:
    """What the fitted threshold gives on each split, in words."""
    d = _declining(run)
    if not d:
        return []
    return [
        f"Threshold on the answer's confidence fitted on the calibration split (n={d['calibration']['n']}), "
        f"the most unanswerable questions declined with at most {d['max_wrongly_declined']} wrongly declined: "
        f"{d['fitted_threshold']:.3f} (configured: {_fmt(run.get('settings', {}).get('min_dense_score'))}).",
        f"At that threshold, calibration split: {_fmt(d['calibration']['declined_unanswerable'])} declined "
        f"unanswerable, {_fmt(d['calibration']['wrongly_declined'])} wrongly declined; test split "
        f"(n={d['test']['n']}): {_fmt(d['test']['declined_unanswerable'])} declined unanswerable, "
        f"{_fmt(d['test']['wrongly_declined'])} wrongly declined.",
    ]


def _curve_rows(run: dict) -> list[list[str]]:
    return [[_fmt(p["threshold"]), _fmt(p["declined_unanswerable"]), _fmt(p["wrongly_declined"])]
            for p in _declining(run).get("curve", [])]


def _answer_type_rows(run: dict) -> list[list[str]]:
    types = run["systems"].get(SYSTEM, {}).get("by_answer_type", {})
    return [[kind, _fmt(v["n"]), _fmt(v["fact_recall"]), _fmt(v["all_facts"])] for kind, v in types.items()]


def _variant_rows(run: dict) -> list[list[str]]:
    rows = []
    main = run["systems"].get(SYSTEM, {}).get("overall", {})
    if main:
        rows.append(["text (shipped)", "documents/", _fmt(main.get("n")), _fmt(main.get("hit@5")),
                     _fmt(main.get("fact_recall")), "", "", _fmt(main.get("decline_rate_unanswerable")),
                     _fmt(main.get("false_decline_rate"))])
    for name, variant in run.get("variants", {}).items():
        o = variant["summary"]["overall"]
        rows.append([name, variant["documents"] + (f" as {variant['render']}" if variant.get("render") else ""),
                     _fmt(o.get("n")), _fmt(o.get("hit@5")), _fmt(o.get("fact_recall")), _fmt(o.get("hit@5_gap")),
                     _fmt(o.get("fact_recall_gap")), _fmt(o.get("decline_rate_unanswerable")),
                     _fmt(o.get("false_decline_rate"))])
    return rows


# --- Markdown ------------------------------------------------------------------------


def _md_table(header: tuple[str, ...] | list[str], rows: list[list[str]]) -> list[str]:
    def cells(row):
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |"

    return [cells(header), "| " + " | ".join("---" for _ in header) + " |", *map(cells, rows)]


# Overall metrics compared between an LLM generator and the extractive default.
GENERATOR_METRICS = ("hit@5", "fact_recall", "citation_precision", "citation_recall", "faithfulness",
                     "decline_rate_unanswerable", "false_decline_rate", "latency_p50_s", "latency_p95_s")


def _generator_header(run: dict) -> tuple[str, ...]:
    return ("metric", run.get("generator", {}).get("configured", SYSTEM), "extractive")


def _generator_rows(run: dict) -> list[list[str]]:
    """metric, configured generator, extractive default; empty unless both ran."""
    extractive = run.get("systems", {}).get("extractive")
    if not extractive:
        return []
    ours = run["systems"][SYSTEM]["overall"]
    return [[m, _fmt(ours.get(m)), _fmt(extractive["overall"].get(m))] for m in GENERATOR_METRICS
            if ours.get(m) is not None or extractive["overall"].get(m) is not None]


def render_markdown(run: dict) -> str:
    """The report as Markdown."""
    out = [f"# Evaluation {run['created']}", ""]
    if run.get("generator"):
        used = run["generator"]
        out += [f"Answers written by: {used['configured']} ({used['fallbacks']} replaced by the extractive answer "
                "after the model failed)", ""]
    settings = [[k, json.dumps(v, ensure_ascii=False)] for k, v in run.get("settings", {}).items()]
    if settings:
        out += ["## Settings", "", *_md_table(("setting", "value"), settings), ""]
    out += ["## Threshold failures", ""]
    out += [f"- {line}" for line in _failure_lines(run)] or ["None."]
    if run.get("thresholds"):
        out += ["", *_md_table(("metric", "threshold", SYSTEM), _threshold_rows(run))]
    out += ["", "## Regressions", ""]
    previous = run.get("previous_report")
    if previous is None:
        out.append("No previous report to compare with.")
    else:
        out.append(f"Compared with `{previous}`.")
        out += [""] + ([f"- {r['scope']} {r['metric']}: {_fmt(r['previous'])} -> {_fmt(r['current'])}"
                        for r in run.get("regressions", [])] or ["None."])
    if _declining(run):
        out += ["", "## Declining", "", *_declining_lines(run), "",
                "Declined unanswerable against wrongly declined, if answers below each threshold were declined:", "",
                *_md_table(_DECLINE_HEADER, _curve_rows(run))]
    if _answer_type_rows(run):
        out += ["", "## Asked fact in the answer, per answer type", "", *_md_table(_TYPE_HEADER, _answer_type_rows(run))]
    if _generator_rows(run):
        out += ["", "## Against the extractive default", "",
                "The same questions answered by the configured generator and by the extractive default.", "",
                *_md_table(_generator_header(run), _generator_rows(run))]
    if run.get("variants"):
        out += ["", "## Other corpora and renderings", "",
                "A gap is the text run's value minus this run's (positive: the rendering loses).", "",
                *_md_table(_VARIANT_HEADER, _variant_rows(run))]
    out += ["", "## Metrics", "", f"Ratio = {SYSTEM} / {BASELINE}; – where undefined.", ""]
    for metric, rows in _metric_tables(run):
        out += [f"### {metric}", "", *_md_table(_HEADER, rows), ""]
    return "\n".join(out)


# --- HTML ----------------------------------------------------------------------------


def _png(fig) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _decline_curve(run: dict) -> str:
    """Wrongly declined (x) against declined unanswerable (y), one point per threshold, the fitted one marked."""
    from matplotlib.figure import Figure

    d = _declining(run)
    curve = d["curve"]
    fig = Figure(figsize=(5.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([p["wrongly_declined"] or 0 for p in curve], [p["declined_unanswerable"] or 0 for p in curve], marker=".")
    fitted = next((p for p in curve if p["threshold"] == d["fitted_threshold"]), None)
    if fitted:
        ax.plot([fitted["wrongly_declined"] or 0], [fitted["declined_unanswerable"] or 0], "o", color="#c0392b",
                label=f"fitted {d['fitted_threshold']:.3f}")
        ax.legend(loc="lower right")
    ax.set_xlabel("answerable wrongly declined")
    ax.set_ylabel("unanswerable declined")
    ax.set_title("Declining across thresholds")
    return _png(fig)


def _bar_chart(run: dict, metric: str) -> str:
    from matplotlib.figure import Figure

    scopes = _scopes(run)
    fig = Figure(figsize=(max(5.0, 1.1 * len(scopes)), 3.2), layout="constrained")
    ax = fig.add_subplot()
    for offset, system in ((-0.2, SYSTEM), (0.2, BASELINE)):
        values = [_group(run, system, s).get(metric) for s in scopes]
        heights = [math.nan if v is None else v for v in values]
        ax.bar([i + offset for i in range(len(scopes))], heights, width=0.4, label=system)
    ax.set_xticks(range(len(scopes)), scopes, rotation=20, ha="right")
    ax.set_ylim(0, 1.2)  # headroom above 1.0 for the legend
    ax.set_title(metric)
    ax.legend(loc="upper right", ncols=2, fontsize="small")
    return _png(fig)


def _latency_histogram(run: dict) -> str:
    from matplotlib.figure import Figure

    latencies = [i["latency_s"] for i in run.get("items", []) if i.get("latency_s") is not None]
    fig = Figure(figsize=(5.0, 3.2), layout="constrained")
    ax = fig.add_subplot()
    if latencies:
        ax.hist(latencies, bins=min(20, len(latencies)), edgecolor="white")
    else:
        ax.text(0.5, 0.5, "no items", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("seconds per question")
    ax.set_ylabel("questions")
    ax.set_title(f"{SYSTEM} latency")
    return _png(fig)


def _html_table(header, rows) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:right}"
    "td:first-child,th:first-child{text-align:left}.bad{color:#b00020}img{max-width:100%}"
)


def render_html(run: dict) -> str:
    """The report as one self-contained HTML page: inline CSS, plots as base64 PNG."""
    esc = html.escape
    parts = [f"<h1>Evaluation {esc(run['created'])}</h1>"]
    settings = [[k, json.dumps(v, ensure_ascii=False)] for k, v in run.get("settings", {}).items()]
    if settings:
        parts += ["<h2>Settings</h2>", _html_table(("setting", "value"), settings)]
    failures = _failure_lines(run)
    parts.append("<h2>Threshold failures</h2>")
    parts.append("<ul class='bad'>" + "".join(f"<li>{esc(f)}</li>" for f in failures) + "</ul>"
                 if failures else "<p>None.</p>")
    if run.get("thresholds"):
        parts.append(_html_table(("metric", "threshold", SYSTEM), _threshold_rows(run)))
    parts.append("<h2>Regressions</h2>")
    previous = run.get("previous_report")
    if previous is None:
        parts.append("<p>No previous report to compare with.</p>")
    else:
        items = [f"{r['scope']} {r['metric']}: {_fmt(r['previous'])} -> {_fmt(r['current'])}"
                 for r in run.get("regressions", [])]
        parts.append(f"<p>Compared with <code>{esc(previous)}</code>.</p>")
        parts.append("<ul class='bad'>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"
                     if items else "<p>None.</p>")
    parts.append("<h2>Plots</h2>")
    for metric in PLOTTED_METRICS:
        parts.append(f'<img src="data:image/png;base64,{_bar_chart(run, metric)}" alt="{esc(metric)}">')
    parts.append(f'<img src="data:image/png;base64,{_latency_histogram(run)}" alt="latency">')
    if _declining(run):
        parts += ["<h2>Declining</h2>", *(f"<p>{esc(line)}</p>" for line in _declining_lines(run))]
        parts.append(f'<img src="data:image/png;base64,{_decline_curve(run)}" alt="decline curve">')
        parts.append(_html_table(_DECLINE_HEADER, _curve_rows(run)))
    if _answer_type_rows(run):
        parts += ["<h2>Asked fact in the answer, per answer type</h2>", _html_table(_TYPE_HEADER, _answer_type_rows(run))]
    if _generator_rows(run):
        parts += ["<h2>Against the extractive default</h2>",
                  "<p>The same questions answered by the configured generator and by the extractive default.</p>",
                  _html_table(_generator_header(run), _generator_rows(run))]
    if run.get("variants"):
        parts += ["<h2>Other corpora and renderings</h2>",
                  "<p>A gap is the text run's value minus this run's (positive: the rendering loses).</p>",
                  _html_table(_VARIANT_HEADER, _variant_rows(run))]
    parts += ["<h2>Metrics</h2>", f"<p>Ratio = {SYSTEM} / {BASELINE}; – where undefined.</p>"]
    for metric, rows in _metric_tables(run):
        parts += [f"<h3>{esc(metric)}</h3>", _html_table(_HEADER, rows)]
    title = esc(f"Evaluation {run['created']}")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )


# --- Entry point ---------------------------------------------------------------------


def write_report(run: dict, out_dir: Path, previous: Path | None = None) -> ReportPaths:
    """Write the run's JSON, Markdown and HTML report and refresh the latest.* copies.

    ``previous`` defaults to the most recent earlier report in ``out_dir``; the stored
    JSON gains ``previous_report`` (its file name) and ``regressions``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = _stem(run["created"])
    previous = previous or find_previous(out_dir, before=stem)
    regressions = compare(run, json.loads(previous.read_text(encoding="utf-8"))) if previous else []
    full = {
        **run,
        "previous_report": previous.name if previous else None,
        "regressions": [asdict(r) for r in regressions],
    }
    paths = ReportPaths(out_dir / f"{stem}.json", out_dir / f"{stem}.md", out_dir / f"{stem}.html")
    paths.json.write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths.markdown.write_text(render_markdown(full) + "\n", encoding="utf-8")
    paths.html.write_text(render_html(full), encoding="utf-8")
    for path in (paths.json, paths.markdown, paths.html):
        shutil.copyfile(path, out_dir / f"{_LATEST}{path.suffix}")
    return paths
