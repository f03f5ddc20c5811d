"""The prose of a published report: its title (agency, year) and its sections 一 to 六, found by their headings.

A heading is a numbering of the section's ordinal in any of the styles reports print (``五、``, ``（五）``,
``5.``, ``第五部分``; full- or half-width) followed by words similar to the spec's heading, so the variants
real reports print ("五、政府信息公开工作存在的主要问题及改进情况", "四、因政府信息公开申请行政复议、提起行政诉讼的
情况", "一、总体概述") are found with no list of synonyms:

- a heading alone on its line (a web page's ``<h2>``, a PDF's line) is taken when its words have a similarity
  (difflib's ratio, on labels folded as :func:`~zfxxgk.normalize.label_key` folds them) of at least
  :data:`LINE_SIMILARITY` with the spec's;
- in running text (a flattened text layer, or a line that goes on after the heading), where nothing marks
  the heading's end, the words up to the next punctuation, digit or bracket must begin with a part that ends
  as the spec's heading ends and has a similarity of at least :data:`RUNNING_SIMILARITY`. So a body sentence
  that merely mentions the subject ("二、主动公开的信息涵盖机构职能，") is not a heading, nor is
  "四、结转下年度继续办理" inside a flattened table.

One numbering style is chosen per report (the one that finds the most sections), and the sections are
placed in the spec's order, each after the one before, maximising the similarity over all of them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..normalize import chinese_number, label_key
from ..spec import Section, Spec

LINE_SIMILARITY = 0.5  # a heading alone on its line: its words against the spec's heading
RUNNING_SIMILARITY = 0.7  # a heading in running text: the best part ending as the spec's heading ends
ADDED = 10  # words a printed heading may add to the spec's ("因…申请", "工作", "提起", "的")
MARK = "[、.．]"  # what follows a heading's numeral
# How reports number their top-level headings, each with the numeral as group "n" (tried in this order).
NUMBERINGS = (
    r"(?<![一二三四五六七八九十百零〇第])(?P<n>[一二三四五六七八九十]{1,3})\s*" + MARK,
    r"[（(]\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[）)]",
    r"(?<![\d.．])(?P<n>\d{1,2})\s*[、．]|(?<![\d.．])(?P<m>\d{1,2})\.(?!\d)",
    r"第\s*(?P<n>[一二三四五六七八九十]{1,3})\s*部分\s*[、.．:：]?",
)
_STYLES = [re.compile(p) for p in NUMBERINGS]
_END = re.compile(r"[\s。；！？!?;:：，,\d（(\[【]")  # where a heading's words end in running text
_SPACE = re.compile(r"\s")
_TITLE = re.compile(
    r"([^\s:：<>|_]{2,40}?)\s*(20\d\d)\s*年(?:度)?\s*(?:的)?\s*政府信息公开(?:工作)?(?:年度)?(?:工作)?报告"
)


@dataclass(frozen=True)
class Found:
    section: Section
    start: int  # where its heading starts in the prose
    body: str


@dataclass(frozen=True)
class _Heading:
    index: int  # of the section in the spec's list
    start: int
    end: int  # where the heading's words end (its section's text starts)
    score: float


def title_facts(*texts: str) -> tuple[int | None, str]:
    """Year and agency from the first title in the texts ("XX2023年政府信息公开工作年度报告")."""
    for t in texts:
        m = _TITLE.search(t)
        if m:
            return int(m.group(2)), m.group(1).strip()
    return None, ""


def heading_words(heading: str) -> tuple[int | None, str]:
    """The ordinal of a spec heading and its words, folded ("五、存在的主要问题" -> (5, "存在的主要问题"))."""
    for style in _STYLES:
        m = style.match(heading)
        if m:
            return _ordinal(m), label_key(heading[m.end() :])
    return None, label_key(heading)


def _ordinal(m: re.Match[str]) -> int | None:
    n = m.group("n") if m.group("n") is not None else m.groupdict().get("m")
    if n is None:
        return None
    return int(n) if n.isdigit() else chinese_number(n)


def similarity(words: str, printed: str) -> tuple[float, int]:
    """How close the words after a numbering are to a heading's (folded) words, and how many folded
    characters of ``printed`` the heading takes; (0, 0) when it is not a heading."""
    stop = _END.search(printed)
    run = label_key(printed[: stop.start() if stop else len(printed)])[: len(words) + ADDED]
    ends = [n for n in range(1, len(run) + 1) if run[n - 1] == words[-1:]]
    score, n = max(((_ratio(words, run[:n]), n) for n in ends), default=(0.0, 0))
    if score >= RUNNING_SIMILARITY:
        return score, n
    line_end = printed.find("\n")
    raw_line = printed[: line_end if line_end >= 0 else len(printed)]
    line = label_key(raw_line)
    alone = line_end >= 0 or len(raw_line) == len(printed)  # the line ends before the text does
    if alone and len(line) <= len(words) + ADDED and not _END.search(_SPACE.sub("", raw_line)):
        score = _ratio(words, line)
        return (score, len(line)) if score >= LINE_SIMILARITY else (0.0, 0)
    return 0.0, 0


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def _candidates(spec: Spec, prose: str, style: re.Pattern[str]) -> list[_Heading]:
    """Every numbering in this style followed by words like the heading of the section it numbers."""
    wanted = {}
    for k, section in enumerate(spec.sections):
        ordinal, words = heading_words(section.heading or "")
        if ordinal is not None and words:
            wanted[ordinal] = (k, words)
    out = []
    for m in style.finditer(prose):
        want = wanted.get(_ordinal(m) or 0)
        if want is None:
            continue
        k, words = want
        after = prose[m.end() : m.end() + 3 * (len(words) + ADDED)]
        lead = len(after) - len(after.lstrip())
        score, taken = similarity(words, after[lead:])
        if score > 0:
            out.append(_Heading(k, m.start(), m.end() + lead + _raw_length(after[lead:], taken), score))
    return out


def _raw_length(raw: str, folded: int) -> int:
    """How many characters of ``raw`` make up its first ``folded`` characters once folded."""
    for n in range(folded, len(raw) + 1):
        if len(label_key(raw[:n])) >= folded:
            return n
    return len(raw)


def _ordered(found: list[_Heading]) -> list[_Heading]:
    """The headings in the spec's order and the text's, one per section, with the most and most similar."""
    found = sorted(found, key=lambda h: h.start)
    best: list[tuple[tuple[int, float], int | None]] = []  # (count, score) of the best chain ending here; previous
    for i, h in enumerate(found):
        top: tuple[tuple[int, float], int | None] = ((1, h.score), None)
        for j in range(i):
            prev = found[j]
            if prev.index < h.index and prev.end <= h.start:
                (count, score), _ = best[j]
                if (count + 1, score + h.score) > top[0]:
                    top = ((count + 1, score + h.score), j)
        best.append(top)
    if not best:
        return []
    at: int | None = max(range(len(found)), key=lambda i: (best[i][0], -found[i].start))
    chain = []
    while at is not None:
        chain.append(found[at])
        at = best[at][1]
    return chain[::-1]


def sections(spec: Spec, prose: str) -> list[Found]:
    """The top-level sections whose heading was found, each with its text up to the next found heading."""
    chains = [_ordered(_candidates(spec, prose, style)) for style in _STYLES]
    heads = max(chains, key=lambda c: (len(c), sum(h.score for h in c)))  # a tie: the first style
    out = []
    for k, h in enumerate(heads):
        stop = heads[k + 1].start if k + 1 < len(heads) else len(prose)
        out.append(Found(spec.sections[h.index], h.start, prose[h.end : stop].strip()))
    return out
