"""The README and docs/ say what the project does, and the tests keep them true:
the two set-up commands are the ones CI runs, the Python example prints what
the README says it prints, the terminal excerpt is part of the real capture,
the architecture map names the packages that exist, and every link resolves."""

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# The pages that hold what the README once did (issue 20, item 9).
MOVED_PAGES = ("commands.md", "architecture.md", "models.md", "corpus-report.md", "labelstudio.md",
               "training.md", "evaluation.md", "results-history.md", "speed.md")


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under a ``## heading`` (up to the next ``## `` heading; ``###`` subsections included)."""
    return text.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]


def readme_commands() -> list[str]:
    section = _section(_readme(), "Set up and run")
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_readme_has_install_and_test_commands_and_ci_runs_them():
    commands = readme_commands()
    assert len(commands) == 2, commands
    install, tests = commands
    assert "saidwho score examples/" in install and "torch" in (ROOT / "requirements-cpu.txt").read_text()
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert install in ci and tests in ci


def test_readme_is_short_and_keeps_its_sections():
    """A newcomer's page (issue 20): under 300 lines, with the sections a first
    reader needs, the architecture map near the top; the rest lives in docs/."""
    text = _readme()
    assert len(text.splitlines()) < 300
    headings = re.findall(r"^## (.*?)\s*$", text, re.M)
    for wanted in ("Set up and run", "Architecture", "Quick start", "Reading the output", "Known limitations", "Results"):
        assert any(h.startswith(wanted) for h in headings), wanted
    assert headings.index("Architecture") <= 2, headings
    quick = _section(text, "Quick start")
    kinds = re.findall(r"^### (.*)$", quick, re.M)
    for reader in ("journalist", "researcher", "data scientist"):  # one article, a corpus, Python and training
        assert any(reader in kind for kind in kinds), (reader, kinds)
    # The explanation of the output links the contracts and the determinism page.
    reading = _section(text, "Reading the output")
    for page in ("docs/format.md", "docs/annotation.md", "docs/determinism.md"):
        assert f"]({page}" in reading, page


def _python_example() -> tuple[str, str]:
    """The README's Python example and the output the README shows for it (the
    ``text`` block after "prints")."""
    match = re.search(r"```python\n(.*?)```\s*\nprints\s*\n\s*```text\n(.*?)```", _readme(), re.S)
    assert match, "README: a ```python block followed by 'prints' and a ```text block"
    return match.group(1), match.group(2)


def test_readme_python_example_prints_what_the_readme_shows():
    """The README's Python example runs as written, with the default model, and
    prints exactly the lines the README shows under it (issue 20, item 8)."""
    code, shown = _python_example()
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), namespace)
    assert out.getvalue() == shown
    # It shows the attribution mode the record writes (not None) and both speakers.
    assert "None" not in shown and "The port authority" in shown and "Dana Ortiz" in shown
    assert namespace["record"]["id"] == namespace["article"].id



def test_readme_sentence_record_is_the_default_models_record():
    """The JSON sentence under "Reading the output" is what ``saidwho score``
    writes for the example article with the default model (its ``text`` and
    ``alt_labels`` left out, as the README says)."""
    import json

    import saidwho

    (block,) = re.findall(r"```json\n(.*?)```", _section(_readme(), "Reading the output"), re.S)
    shown = json.loads(block)
    text = (ROOT / "examples" / "harbour-strike.txt").read_text(encoding="utf-8")
    record = saidwho.load()(saidwho.Article(id="harbour-strike", text=text)).to_dict()
    (sentence,) = [s for s in record["sentences"] if s["start"] == shown["start"]]
    assert shown == {k: v for k, v in sentence.items() if k not in ("text", "alt_labels")}

def test_readme_terminal_excerpt_is_part_of_the_capture():
    """The table in the quick start is cut from docs/terminal-80.txt (the real
    80-column output), lines in order, "…" where rows are left out."""
    text = _section(_readme(), "Quick start")
    (excerpt,) = [b for b in re.findall(r"```text\n(.*?)```", text, re.S) if "harbour-strike" in b]
    capture = (ROOT / "docs" / "terminal-80.txt").read_text(encoding="utf-8").splitlines()
    at = 0
    kept = 0
    for line in excerpt.splitlines():
        if line.strip() == "…":
            continue
        assert line in capture[at:], f"README excerpt line not in docs/terminal-80.txt (after line {at}): {line!r}"
        at = capture.index(line, at) + 1
        kept += 1
    assert kept >= 10


def _map_packages() -> set[str]:
    (block,) = re.findall(r"```text\n(.*?)```", _section(_readme(), "Architecture"), re.S)
    return set(re.findall(r"^\s{2}(\w+)/", block, re.M))


def test_readme_architecture_map_names_every_package():
    """One line per package of src/saidwho, and no package that is gone."""
    source = ROOT / "src" / "saidwho"
    packages = {p.parent.name for p in source.glob("*/__init__.py")}
    assert _map_packages() == packages
    (block,) = re.findall(r"```text\n(.*?)```", _section(_readme(), "Architecture"), re.S)
    for module in set(re.findall(r"\b(\w+\.py)\b", block)):
        assert list(source.rglob(module)), f"README architecture map: no {module} under src/saidwho"


def _links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks hold no links
    return re.findall(r"\]\(([^)\s]+)\)", text)


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation other than - and _ dropped, spaces as -."""
    headings = re.findall(r"^#+\s+(.*?)\s*$", path.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_documents_link_only_to_files_in_the_repository():
    """A reader who clones the repository must be able to follow every link in
    the README and the docs: no link may leave the checkout (such as
    ../shared/...), every linked file must exist, and so must a linked heading."""
    pages = [README, ROOT / "examples" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        for link in _links(page):
            if re.match(r"^[a-z]+:", link):
                continue  # web links
            target, _, anchor = link.partition("#")
            path = (page.parent / target).resolve() if target else page
            where = f"{page.relative_to(ROOT)}: {link}"
            assert path.is_relative_to(ROOT), f"{where} points outside the repository"
            assert path.exists(), f"{where} does not exist"
            if anchor and path.suffix == ".md":
                assert anchor in _anchors(path), f"{where}: no such heading"
            checked += 1
    assert checked >= 10
    readme = _readme()
    assert "(docs/annotation.md)" in readme and "(docs/format.md)" in readme


def test_every_docs_page_is_reachable_from_the_readme():
    """The pages the README's sections moved to are linked from it, directly or
    through one docs page, so that nothing moved out of the README is lost."""
    readme_links = {link.partition("#")[0] for link in _links(README)}
    reachable = {(ROOT / link).resolve() for link in readme_links if link.startswith("docs/")}
    for page in list(reachable):
        if page.suffix == ".md":
            reachable |= {(page.parent / link.partition("#")[0]).resolve() for link in _links(page) if not re.match(r"^[a-z]+:", link)}
    for name in MOVED_PAGES + ("annotation.md", "format.md", "determinism.md", "corpora.md", "experiments.md", "serve.md"):
        page = ROOT / "docs" / name
        assert page.resolve() in reachable, f"docs/{name} is linked from neither the README nor a page it links"
    # The images and the terminal capture stay linked.
    for asset in ("docs/html-view.png", "docs/labelstudio.png", "docs/terminal-80.txt"):
        assert (ROOT / asset).resolve() in reachable, asset
