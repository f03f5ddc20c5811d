"""The message catalogue: complete in both languages, consistent, and exactly what ``src/`` uses."""

from __future__ import annotations

import ast
import pickle
import re
import string
from pathlib import Path

import pytest

import zfxxgk
from zfxxgk import messages
from zfxxgk.check.annotate import AnnotateError
from zfxxgk.findings import CATALOGUE, make
from zfxxgk.libreoffice import LibreOfficeError
from zfxxgk.messages import LANGS, SEVERITIES, CatalogueError, catalogue, load, text
from zfxxgk.roster import RosterError, problem, read_roster
from zfxxgk.spec import available_specs, load_spec

SRC = Path(zfxxgk.__file__).parent
AREAS = {p.stem for p in (SRC / "messages").glob("*.yaml")}
KEY = re.compile(r"^([a-z]+)\.[a-z0-9][a-z0-9-]*$")
PREFIX = re.compile(r"^([a-z]+)\.[a-z0-9][a-z0-9-]*-$")  # an f-string key's head: area, a name, a dash
# Calls whose first argument is a finding code: make() itself and the records that carry a code to it
# (read.values.Issue -> check.file.value_finding, read.package.PackageError -> check.file.check_file).
CODE_CALLS = {"make", "Issue", "PackageError"}
# Calls whose first argument is a full catalogue key.
KEY_CALLS = {"text", "pick", "entry", "problem", "MessageError", "AnnotateError", "LibreOfficeError"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _prefix(node: ast.expr) -> str | None:
    """The constant head of an f-string key such as ``f"cli.role-{role}"`` (``cli.role-``), if it names an area."""
    if not isinstance(node, ast.JoinedStr) or not node.values:
        return None
    head = _literal(node.values[0])  # type: ignore[arg-type]
    m = PREFIX.match(head or "")
    return head if m and m.group(1) in AREAS else None


def _wrappers(tree: ast.AST) -> dict[str, str]:
    """Functions that pass their first parameter on as a key, with the prefix they put before it
    (``def both(key): entry(f"cli.{key}")`` -> ``{"both": "cli."}``; ``def say(key): text(key)`` -> ``""``)."""
    out: dict[str, str] = {}
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.args.args):
        param = fn.args.args[0].arg
        for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call) and _name(n) in KEY_CALLS and n.args):
            arg = call.args[0]
            if isinstance(arg, ast.Name) and arg.id == param:
                out[fn.name] = ""
            elif (
                isinstance(arg, ast.JoinedStr)
                and len(arg.values) == 2
                and isinstance(arg.values[1], ast.FormattedValue)
                and isinstance(arg.values[1].value, ast.Name)
                and arg.values[1].value.id == param
                and (head := _literal(arg.values[0])) is not None  # type: ignore[arg-type]
            ):
                out[fn.name] = head
    return out


def _scan() -> tuple[set[str], set[str], set[str], set[str]]:
    """(keys passed to a key call or a wrapper of one, codes passed to a code call, the heads of f-string
    keys, every literal shaped like a key of an area)."""
    keys: set[str] = set()
    codes: set[str] = set()
    prefixes: set[str] = set()
    shaped: set[str] = set()
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in SRC.rglob("*.py")]
    wrappers = {name: head for tree in trees for name, head in _wrappers(tree).items()}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                first = _literal(node.args[0]) if node.args else None
                if first is not None and _name(node) in KEY_CALLS:
                    keys.add(first)
                if first is not None and isinstance(node.func, ast.Name) and node.func.id in wrappers:
                    keys.add(wrappers[_name(node)] + first)
                if first is not None and _name(node) in CODE_CALLS:
                    codes.add(first)
                codes.update(c for kw in node.keywords if kw.arg == "code" and (c := _literal(kw.value)) is not None)
            elif (head := _prefix(node)) is not None:  # type: ignore[arg-type]
                prefixes.add(head)
            elif (value := _literal(node)) is not None and (m := KEY.match(value)) and m.group(1) in AREAS:  # type: ignore[arg-type]
                shaped.add(value)
    return keys, codes, prefixes, shaped


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_entry_has_both_languages() -> None:
    assert catalogue(), "the catalogue is empty"
    for key, entry in catalogue().items():
        for lang in LANGS:
            assert isinstance(entry[lang], str) and entry[lang] != "", (key, lang)


def test_both_languages_have_the_same_placeholders() -> None:
    for key, entry in catalogue().items():
        assert _placeholders(entry["zh"]) == _placeholders(entry["en"]), key
        if "fix" in entry:
            assert _placeholders(entry["fix"]["zh"]) == _placeholders(entry["fix"]["en"]), key


def test_every_finding_has_a_severity_and_a_fix() -> None:
    findings = {k: e for k, e in catalogue().items() if k.startswith("findings.")}
    assert len(findings) == len(CATALOGUE) > 40
    for key, entry in findings.items():
        assert entry.get("severity") in SEVERITIES, key
        assert all(entry.get("fix", {}).get(lang, "").strip() for lang in LANGS), key
    assert not [k for k, e in catalogue().items() if "severity" in e and not k.startswith("findings.")]


def test_every_key_and_code_used_in_src_is_in_the_catalogue() -> None:
    keys, codes, prefixes, _ = _scan()
    assert keys and codes and prefixes
    assert sorted(keys - set(catalogue())) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in catalogue())) == []
    assert sorted(codes - set(CATALOGUE)) == []


def test_every_catalogue_entry_is_used_in_src() -> None:
    keys, codes, prefixes, shaped = _scan()
    used = keys | shaped | {f"findings.{code}" for code in codes}
    used |= {k for k in catalogue() if any(k.startswith(p) for p in prefixes)}
    assert sorted(set(catalogue()) - used) == []


def test_spec_rules_make_the_other_codes_and_never_a_catalogue_one() -> None:
    """Findings of spec rules carry the rule's id as their code (check.rules); they must not shadow a built-in."""
    assert all(code == code.lower() for code in CATALOGUE)
    for spec_id in available_specs():
        spec = load_spec(spec_id)
        ids = {r.id for r in spec.rules} | {n.id for n in spec.narrative}
        assert ids and not ids & set(CATALOGUE), spec_id
        assert all(i != i.lower() for i in ids), spec_id


def test_text_fills_placeholders_and_picks_the_language() -> None:
    assert text("check.tally", "en", count=2, parts="x") == "Checked 2 files: x"
    assert text("check.tally", "zh", count=2, parts="x") == "共检查 2 个文件：x"
    assert text("check.tally", "fr", count=2, parts="x") == text("check.tally", "zh", count=2, parts="x")
    assert text("check.tally", "en", count=2) == "Checked 2 files: {parts}"
    with pytest.raises(KeyError, match=re.escape("check.no-such-text")):
        text("check.no-such-text")


def test_an_english_field_fills_the_same_placeholder_in_english() -> None:
    zh = make("label-missing", "zh", detail="三", expected="合计", what="行", what_en="row")
    en = make("label-missing", "en", detail="三", expected="合计", what="行", what_en="row")
    assert "找不到行“合计”" in zh.message and "the row “合计”" in en.message and en.fix.startswith("Add the row")


def test_errors_speak_either_language(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("单位名称\n甲局\n甲局\n\n", encoding="utf-8")
    with pytest.raises(RosterError) as info:
        read_roster(path)
    assert info.value.problems == ["第3行的单位名称“甲局”与第2行重复"]
    assert info.value.text("en") == f"{path}:\n  - row 3 repeats the name “甲局” of row 2"
    assert str(info.value) == info.value.text("zh")
    lo = LibreOfficeError("common.libreoffice-missing")
    assert str(lo).startswith("未找到 LibreOffice") and lo.text("en").startswith("LibreOffice (soffice) not found")
    assert AnnotateError("check.annotate-unreadable").text("en") == text("check.annotate-unreadable", "en")
    with pytest.raises(KeyError):
        LibreOfficeError("common.no-such-error")


def _write(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "area.yaml").write_text(body, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('greeting: {zh: "你好"}\n', "area.yaml: greeting: the 'en' text is missing or empty"),
        ('greeting: {zh: "", en: "hello"}\n', "area.yaml: greeting: the 'zh' text is missing or empty"),
        ("greeting: [1, 2]\n", "area.yaml: greeting: expected a text or a mapping"),
        (
            'code: {severity: error, zh: "错", en: "wrong", fix: {zh: "改"}}\n',
            "area.yaml: code.fix: the 'en' text is missing or empty",
        ),
        ('code: {severity: fatal, zh: "错", en: "wrong"}\n', "area.yaml: code: severity 'fatal' is not one of"),
        ("- one\n- two\n", "area.yaml: expected a mapping"),
        ("greeting: {zh: [\n", "area.yaml: not valid YAML"),
    ],
)
def test_the_loader_refuses_an_incomplete_entry(tmp_path: Path, body: str, words: str) -> None:
    with pytest.raises(CatalogueError, match=re.escape(words)):
        load(_write(tmp_path / "messages", body))


def test_the_loader_reads_a_folder_of_areas(tmp_path: Path) -> None:
    folder = _write(tmp_path / "messages", 'greeting: {zh: "你好，{name}", en: "Hello, {name}"}\nmark: "※"\n')
    (folder / "notes.txt").write_text("not an area", encoding="utf-8")
    assert load(folder) == {
        "area.greeting": {"zh": "你好，{name}", "en": "Hello, {name}"},
        "area.mark": {"zh": "※", "en": "※"},
    }
    assert messages.fill(load(folder)["area.greeting"]["en"], name="Li") == "Hello, Li"


def test_errors_cross_a_process_boundary(tmp_path: Path) -> None:
    lo = pickle.loads(pickle.dumps(LibreOfficeError("common.libreoffice-failed", missing=["a.pdf"], output="")))
    assert isinstance(lo, LibreOfficeError) and lo.text("en") == "LibreOffice conversion failed: ['a.pdf']\n"
    roster = pickle.loads(pickle.dumps(RosterError(tmp_path, [problem("roster.no-name", row=3)])))
    assert roster.text("en") == f"{tmp_path}:\n  - row 3 has no 单位名称"
