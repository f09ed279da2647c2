"""README's two set-up commands are the ones CI runs, word for word."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_readme_has_install_and_test_commands_and_ci_runs_them():
    commands = readme_commands()
    assert len(commands) == 2, commands
    install, tests = commands
    assert "saidwho score examples/" in install and "torch" in (ROOT / "requirements-cpu.txt").read_text()
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert install in ci and tests in ci


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
    pages = [ROOT / "README.md", ROOT / "examples" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        for link in _links(page):
            if re.match(r"^[a-z]+:", link) or link.startswith("#"):
                continue  # web links and anchors within the page
            target, _, anchor = link.partition("#")
            path = (page.parent / target).resolve()
            where = f"{page.relative_to(ROOT)}: {link}"
            assert path.is_relative_to(ROOT), f"{where} points outside the repository"
            assert path.exists(), f"{where} does not exist"
            if anchor and path.suffix == ".md":
                assert anchor in _anchors(path), f"{where}: no such heading"
            checked += 1
    assert checked >= 10
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/annotation.md)" in readme and "(docs/format.md)" in readme
