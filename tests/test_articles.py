"""Article loaders: every format, every kind of bad input, and properties over arbitrary text."""
from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.articles import DEFAULT_MAX_BYTES, iter_paths, load_path, load_text, parse_date
from kg.errors import ArticleError
from kg.types import Article

CORPUS = Path("/work/shared/corpus")
FORMATS = ["txt", "md", "html", "json", "jsonl"]

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Senate passes bill | Example News</title>
<link rel="canonical" href="https://example.com/news/senate-bill">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2013-11-09T10:00:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Senate passes bill</h1>
<p>The Senate on Friday passed a bill that would repeal the law. Supporters said the vote was
historic.</p>
<p>Opponents called on the President to veto it, arguing it went too far.</p></article>
<footer>Copyright 2013</footer></body></html>
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def only(articles: list[Article]) -> Article:
    assert len(articles) == 1
    return articles[0]


# --- plain text -------------------------------------------------------------------------------


def test_txt_title_body_and_wikinews_dateline(tmp_path: Path) -> None:
    raw = ("Germany bans  Mahan Air\n\nWednesday, January 23, 2019\xa0\n\n\n"
           "Germany on Monday banned Iranian airline Mahan Air.\n")
    path = write(tmp_path, "a.txt", raw)
    article = only(load_path(path))
    assert article.title == "Germany bans Mahan Air"
    assert article.date == dt.date(2019, 1, 23)
    assert article.text == ("Germany bans Mahan Air\n\nWednesday, January 23, 2019\n\n"
                            "Germany on Monday banned Iranian airline Mahan Air.")
    assert article.source == str(path)
    assert article.notes == ("date taken from the dateline",)


@pytest.mark.parametrize(
    ("body", "date"),
    [
        ("All Out calls on Russia to repeal its law.\nNov 9, 2013· 1 MIN READ\nRussia enacted it.",
         dt.date(2013, 11, 9)),
        ("WASHINGTON, Nov. 9, 2013 — The Senate passed the bill.", dt.date(2013, 11, 9)),
        ("9 November 2013\nThe Senate passed the bill.", dt.date(2013, 11, 9)),
        ("Thursday, United States military forces killed a commander in 2020.", None),
        ("Yesterday, the House voted.\nMay 2019 was mentioned.", None),
        ("The Senate passed the bill.\n\nMore.\n\nEven more.\n\nNov 9, 2013", None),  # too far in
    ],
)
def test_txt_dateline_only_when_the_body_opens_with_a_date(body: str, date: dt.date | None) -> None:
    assert only(load_text(f"Headline\n\n{body}")).date == date


def test_wikinews_datelines_agree_with_the_manifest() -> None:
    manifest = CORPUS / "wikinews" / "MANIFEST.jsonl"
    if not manifest.exists():
        pytest.skip("shared Wikinews corpus not available")
    for row in map(json.loads, manifest.read_text(encoding="utf-8").splitlines()):
        article = only(load_path(manifest.parent / row["file"]))
        assert article.title == row["title"]
        # the dateline when the body has one, else the date the file is named by
        assert article.date == dt.date.fromisoformat(row["date"]), row["file"]
        expected_note = "date taken from the dateline" if row["dateline_in_text"] else "date taken from the file name"
        assert expected_note in article.notes, row["file"]


def test_a_date_in_the_file_name_is_the_last_resort(tmp_path: Path) -> None:
    undated = only(load_path(write(tmp_path, "2020-01-05_story.txt", "Headline\n\nBody.")))
    assert undated.date == dt.date(2020, 1, 5) and "date taken from the file name" in undated.notes
    dated = only(load_path(write(tmp_path, "2020-01-05_other.md", "---\ndate: 2019-03-01\n---\n# H\n\nBody.")))
    assert dated.date == dt.date(2019, 3, 1)
    assert only(load_path(write(tmp_path, "2020-13-45_bad.txt", "Headline\n\nBody."))).date is None


def test_text_is_normalised() -> None:
    raw = ("  Cafe\u0301   news \r\n\r\nFirst line   \r\nsame paragraph\t\r\n"
           "\r\n\r\n\r\nNext paragraph  \r\n")
    article = only(load_text(raw))
    assert article.title == "Café news"
    assert article.text == "Café news\n\nFirst line\nsame paragraph\n\nNext paragraph"


def test_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    article = only(load_path(write(tmp_path, "story.text", "Headline\n\nBody.")))
    assert (article.title, article.text) == ("Headline", "Headline\n\nBody.")


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\ntitle: Senate passes bill\ndate: 2013-11-09\n"
                                   "author: [Jane Doe, {name: John Roe}]\n"
                                   "link: https://example.com/a\npublished: true\n---\n\n"
                                   "# A heading in the body\n\nThe *Senate* voted.\n")
    article = only(load_path(path))
    assert article.title == "Senate passes bill"
    assert article.date == dt.date(2013, 11, 9)
    assert article.author == "Jane Doe, John Roe"
    assert article.url == "https://example.com/a"
    assert article.text == "Senate passes bill\n\n# A heading in the body\n\nThe *Senate* voted."


def test_markdown_string_date_and_heading_title(tmp_path: Path) -> None:
    raw = "---\ndate: Nov 9, 2013\n---\n# Senate passes bill #\n\nThe Senate voted.\n\n- a list\n"
    path = write(tmp_path, "a.markdown", raw)
    article = only(load_path(path))
    assert (article.title, article.date) == ("Senate passes bill", dt.date(2013, 11, 9))
    assert article.text == "Senate passes bill\n\nThe Senate voted.\n\n- a list"


def test_markdown_without_title() -> None:
    article = only(load_text("Just a paragraph of text.\n", fmt="md"))
    assert (article.title, article.text) == (None, "Just a paragraph of text.")


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("date: yesterday", "field 'date': not a date: 'yesterday'"),
        ("date: 2013", "field 'date': not a date"),
        ("date: 2013-13-45", "invalid YAML front matter"),
        ("title: [a, b]", "field 'title' is a list, not text"),
        ("title: x\n  bad: indent: here", "invalid YAML front matter"),
        ("- just\n- a list", "not a YAML mapping"),
    ],
)
def test_markdown_bad_front_matter(tmp_path: Path, front_matter: str, message: str) -> None:
    path = write(tmp_path, "bad.md", f"---\n{front_matter}\n---\nBody.\n")
    with pytest.raises(ArticleError, match=message) as error:
        load_path(path)
    assert str(path) in str(error.value)


# --- HTML -------------------------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    article = only(load_path(write(tmp_path, "a.html", HTML_PAGE)))
    assert article.title == "Senate passes bill"
    assert article.date == dt.date(2013, 11, 9)
    assert article.url == "https://example.com/news/senate-bill"
    assert article.author == "Jane Doe"
    # The <h1> is the title, not repeated in the body; navigation and footer are dropped.
    assert article.text.startswith("Senate passes bill\n\nThe Senate on Friday passed a bill")
    assert "\n\nOpponents called on the President" in article.text
    assert "Home" not in article.text and "Copyright" not in article.text


def test_html_fragment() -> None:
    html = "<p>The Senate passed the bill.</p><p>It goes to the House.</p>"
    article = only(load_text(html, fmt="htm"))
    assert article.text == "The Senate passed the bill.\n\nIt goes to the House."


@pytest.mark.parametrize(
    "html",
    ["<html><body></body></html>",
     "<html><head><title>T</title></head><body><script>x = 1</script></body></html>"],
)
def test_html_without_article_text(tmp_path: Path, html: str) -> None:
    with pytest.raises(ArticleError, match="no article text found"):
        load_path(write(tmp_path, "empty.html", html))


# --- JSON and JSON Lines ----------------------------------------------------------------------


def test_json_object() -> None:
    record = {"headline": "Senate passes bill", "body": "The Senate voted.",
              "datePublished": "2013-11-09T10:00:00Z", "url": "https://example.com/a",
              "author": {"@type": "Person", "name": "Jane Doe"}}
    article = only(load_text(json.dumps(record), fmt="json"))
    assert article == Article(
        text="Senate passes bill\n\nThe Senate voted.", title="Senate passes bill",
        date=dt.date(2013, 11, 9), url="https://example.com/a", author="Jane Doe", source="-",
    )


def test_json_list(tmp_path: Path) -> None:
    records = [{"title": "One", "text": "First.", "date": "9 November 2013"},
               {"content": "Second."}]
    first, second = load_path(write(tmp_path, "a.json", json.dumps(records)))
    assert (first.text, first.date) == ("One\n\nFirst.", dt.date(2013, 11, 9))
    assert (second.title, second.text, second.date) == (None, "Second.", None)


def test_jsonl(tmp_path: Path) -> None:
    raw = '{"title": "One", "text": "First."}\n\n{"text": "Second.", "published": "2013-11-09"}\n'
    articles = load_path(write(tmp_path, "a.jsonl", raw))
    assert [(a.title, a.date) for a in articles] == [("One", None), (None, dt.date(2013, 11, 9))]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.json", '[{"text": "ok"}, {"title": "no text"}]', "a.json, record 2: no article text"),
        ("a.json", '{"text": "   "}', "no article text"),
        ("a.json", '{"text": 42}', "no article text"),
        ("a.json", '{"text": "ok",\n "title": }', "invalid JSON at line 2"),
        ("a.json", "[]", "empty JSON list"),
        ("a.json", '"just a string"', "expected a JSON object, got a str"),
        ("a.json", '[{"text": "ok"}, [1]]', "a.json, record 2: expected a JSON object"),
        ("a.json", '{"text": "ok", "date": "soon"}', "field 'date': not a date"),
        ("a.json", '{"text": "ok", "url": {"href": "x"}}', "field 'url' is a dict, not text"),
        ("a.json", "[" * 100_000, "nested too deeply"),
        ("a.jsonl", '{"text": "ok"}\n{"text": "ok"\n', "a.jsonl, line 2: invalid JSON at column 14"),
        ("a.jsonl", '{"text": "ok"}\n\n{"title": "no text"}\n', "a.jsonl, line 3: no article text"),
        ("a.jsonl", '{"text": "ok", "datePublished": "Nov 2013"}', "a.jsonl, line 1: field 'datePublished'"),
    ],
)
def test_bad_json(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(ArticleError, match=message) as error:
        load_path(path)
    assert str(path) in str(error.value)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "no text \\(empty\\)"),
        ("blank.md", b"  \r\n\t\n \n", "only whitespace"),
        ("nul.txt", b"Title\n\nSome\x00text", "binary data"),
        ("controls.html", bytes(range(1, 9)) * 50 + b"<p>text</p>", "binary data"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "unsupported file type .png"),
        ("title-only.txt", b"Just a headline\n\n\n", "no article text after the title 'Just a"),
        ("bad-bom.txt", codecs.BOM_UTF16_LE + b"T\x00i\x00t", "byte-order mark but is not utf-16"),
        ("json-title-only.json", b'{"title": "T", "text": ""}', "no article text"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(ArticleError, match=message) as error:
        load_path(path)
    assert str(error.value).startswith(f"[E010] {path}: ")
    assert "\n" not in str(error.value)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "Title\n\n" + "x" * 100)
    with pytest.raises(ArticleError, match=r"107 bytes, over the limit of 50 bytes"):
        load_path(path, max_bytes=50)
    assert DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    assert only(load_path(path, max_bytes=107)).title == "Title"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        load_path(tmp_path / "missing.txt")
    with pytest.raises(ArticleError, match="is a folder"):
        load_path(tmp_path)


def test_unknown_format_for_text() -> None:
    with pytest.raises(ArticleError, match="<stdin>: unknown format 'pdf'"):
        load_text("x", fmt="pdf")


def test_empty_stdin() -> None:
    with pytest.raises(ArticleError, match="<stdin>: no text"):
        load_text("\n\n", fmt="json")


# --- encodings --------------------------------------------------------------------------------


def test_cp1252_is_decoded_and_noted(tmp_path: Path) -> None:
    data = "Caf\xe9 \u201cnews\u201d\n\nIt costs \u20ac5.".encode("cp1252")
    path = write(tmp_path, "win.txt", data)
    article = only(load_path(path))
    assert article.text == "Café “news”\n\nIt costs €5."
    assert article.notes == ("decoded as cp1252",)


def test_latin1_when_cp1252_would_give_control_characters(tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252; Latin-1 reads it as a C1 control character, which
    # the loader then drops (no control character reaches an article's text)
    article = only(load_path(write(tmp_path, "old.txt", b"Caf\xe9\n\nBody \x81 here.")))
    assert article.text == "Café\n\nBody  here."
    assert article.notes == ("decoded as latin-1",)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_byte_order_marks(tmp_path: Path, encoding: str) -> None:
    data = "Café news\r\n\r\nBody.".encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # these codecs write no mark of their own
        data = "\ufeff".encode(encoding) + data
    article = only(load_path(write(tmp_path, "bom.txt", data)))
    assert (article.text, article.notes) == ("Café news\n\nBody.", ())


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2013-11-09", "Nov 9, 2013", "Nov. 9, 2013", "9 November 2013", "Saturday, November 9, 2013",
     "2013-11-09T23:30:00-05:00", "2013-11-09T10:00:00Z", "20131109", dt.date(2013, 11, 9),
     dt.datetime(2013, 11, 9, 23, 59)],
)
def test_parse_date(value: object) -> None:
    assert parse_date(value) == dt.date(2013, 11, 9)


@pytest.mark.parametrize(
    "value",
    ["", "yesterday", "2013-02-30", "Nov 2013", "2013", "Monday", "10:30", "99999999999999999999",
     2013, None, ["2013-11-09"]],
)
def test_parse_date_rejects_garbage_and_partial_dates(value: object) -> None:
    with pytest.raises(ArticleError, match="date"):
        parse_date(value)


# --- folders ----------------------------------------------------------------------------------


def test_iter_paths_over_a_mixed_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good = [
        write(folder, "a.txt", "Headline\n\nBody."),
        write(folder, "b/c.md", "# Title\n\nBody."),
        write(folder, "b/d.JSON", '[{"text": "One."}, {"text": "Two."}]'),
        write(folder, "e.html", HTML_PAGE),
    ]
    bad = [write(folder, "b/empty.txt", ""), write(folder, "f.jsonl", "{oops\n")]
    write(folder, ".hidden.txt", "Headline\n\nBody.")
    write(folder, ".git/config.txt", "Headline\n\nBody.")
    write(folder, "picture.png", b"\x89PNG\x00")
    loose = write(tmp_path, "notes.dat", "Headline\n\nBody.")

    paths = list(iter_paths([folder, loose]))
    assert paths == sorted(good + bad) + [loose]

    loaded, errors = {}, {}
    for path in paths:
        try:
            loaded[path] = load_path(path)
        except ArticleError as error:
            errors[path] = str(error)
    assert set(errors) == set(bad)
    assert sum(len(articles) for articles in loaded.values()) == 6


# --- properties -------------------------------------------------------------------------------

_texts = st.one_of(
    st.text(),
    st.text(alphabet="ab \n\r\t#-:{}[]\"<>/p,0123456789\x00\x85\u2028\ufeff"),
    st.builds("{}\n\n{}".format, st.text(), st.sampled_from(["Nov 9, 2013", "May 2019", "2013 ·"])),
    st.builds("---\n{}\n---\n{}".format, st.text(), st.text()),
    st.builds("<html><body><h1>{}</h1><p>{}</p></body></html>".format, st.text(), st.text()),
    st.builds(lambda t, b: json.dumps({"title": t, "text": b}), st.text(), st.text()),
)


@settings(max_examples=300, deadline=None)
@given(_texts, st.sampled_from(FORMATS))
def test_load_text_returns_articles_or_raises_article_error(text: str, fmt: str) -> None:
    try:
        articles = load_text(text, fmt=fmt)
    except ArticleError as error:
        assert "\n" not in str(error)
        return
    assert articles
    for article in articles:
        assert article.text.strip()
        if article.title:
            assert article.text.startswith(article.title + "\n\n")


@settings(max_examples=100, deadline=None)
@given(_texts, st.sampled_from(FORMATS))
def test_loading_is_deterministic(text: str, fmt: str) -> None:
    def hashes() -> list[str] | str:
        try:
            return [article.content_hash for article in load_text(text, fmt=fmt)]
        except ArticleError as error:
            return str(error)

    assert hashes() == hashes()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from(["txt", "md", "json", "jsonl", "bin"]))
def test_load_path_on_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = write(tmp_path, f"any.{suffix}", data)
    try:
        articles = load_path(path)
    except ArticleError:
        return
    assert all(article.text.strip() and article.source == str(path) for article in articles)


# --- symbolic links -----------------------------------------------------------------------------


def test_links_out_of_a_folder_are_skipped_unless_followed(tmp_path: Path) -> None:
    folder, outside = tmp_path / "in", tmp_path / "out"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    write(outside, "secret.txt", "Secret\n\nNot for kg.")
    write(folder, "a.txt", "A\n\nAn article.")
    (folder / "x.txt").symlink_to(outside / "secret.txt")  # the review's /etc/passwd named x.txt
    (folder / "linked").symlink_to(outside)
    (folder / "sub" / "b.txt").symlink_to(folder / "a.txt")  # within the folder: read
    (folder / "sub" / "loop").symlink_to(folder)  # a circle: walked once
    skipped: list[tuple[Path, str]] = []
    found = list(iter_paths([folder], on_skip=lambda path, reason: skipped.append((path, reason))))
    assert found == [folder / "a.txt", folder / "sub" / "b.txt"]
    assert sorted(path.name for path, _ in skipped) == ["linked", "x.txt"]
    assert all("--follow-symlinks" in reason for _, reason in skipped)
    followed = list(iter_paths([folder], follow_symlinks=True))
    assert sorted(p.relative_to(folder).as_posix() for p in followed) == [
        "a.txt", "linked/secret.txt", "sub/b.txt", "x.txt"]


# --- real folders: files that are no articles, globs, a manifest --------------------------------
from kg.articles import read_manifests, with_metadata  # noqa: E402


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    (folder / "2020").mkdir(parents=True)
    for name in ("README.md", "LICENSE.txt", "ATTRIBUTION.md", "CHANGELOG.md", "contributing.md"):
        write(folder, name, "Not news\n\nA file that sits beside articles.")
    write(folder, "a.txt", "A\n\nThe Senate passed the law.")
    write(folder / "2020", "b.md", "# B\n\nThe House passed the bill.")
    write(folder, "MANIFEST.jsonl", json.dumps({"file": "a.txt", "url": "https://example.org/a",
                                                "date": "2020-05-01", "title": "Ignored: a.txt has one"}) + "\n")
    write(folder / "2020", "manifest.csv", "file,url,date,author\nb.md,https://example.org/b,2020-05-02,Jane Roe\n")
    return folder


def test_files_that_are_no_articles_are_skipped_and_said(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    skipped: list[tuple[str, str]] = []
    found = list(iter_paths([folder], on_skip=lambda path, reason: skipped.append((path.name, reason))))
    assert found == [folder / "2020" / "b.md", folder / "a.txt"]
    assert sorted(name for name, _ in skipped) == ["ATTRIBUTION.md", "CHANGELOG.md", "LICENSE.txt", "MANIFEST.jsonl",
                                                    "README.md", "contributing.md"]  # a .csv is never read as an article


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert list(iter_paths([folder], include=("README.md",))) == [folder / "README.md"]  # chosen: read
    assert list(iter_paths([folder], include=("2020/*",))) == [folder / "2020" / "b.md"]
    assert list(iter_paths([folder], exclude=("*.md",))) == [folder / "a.txt"]


def test_a_manifest_gives_its_files_metadata(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    errors: list[ArticleError] = []
    manifest = read_manifests(folder, errors.append)
    assert not errors
    a = with_metadata(only(load_path(folder / "a.txt")), manifest[(folder / "a.txt").resolve()])
    assert (a.url, a.date, a.title) == ("https://example.org/a", dt.date(2020, 5, 1), "A")
    b = with_metadata(only(load_path(folder / "2020" / "b.md")), manifest[(folder / "2020" / "b.md").resolve()])
    assert (b.url, b.date, b.author) == ("https://example.org/b", dt.date(2020, 5, 2), "Jane Roe")


def test_a_manifest_date_replaces_a_guessed_one_not_a_stated_one(tmp_path: Path) -> None:
    guessed = only(load_path(write(tmp_path, "2019-01-01_story.txt", "S\n\nThe Senate passed the law.")))
    assert with_metadata(guessed, {"date": dt.date(2019, 1, 2)}).date == dt.date(2019, 1, 2)
    stated = only(load_path(write(tmp_path, "s.md", "---\ndate: 2019-01-05\n---\n# S\n\nThe Senate passed it.")))
    assert with_metadata(stated, {"date": dt.date(2019, 1, 2)}).date == dt.date(2019, 1, 5)


def test_bad_manifest_records_are_named(tmp_path: Path) -> None:
    write(tmp_path, "MANIFEST.jsonl", '{"file": "a.txt", "date": "soon"}\n{"url": "x"}\n{oops\n')
    errors: list[ArticleError] = []
    assert read_manifests(tmp_path, errors.append) == {}
    assert [str(e).split(": ", 1)[0].rsplit(", ", 1)[-1] for e in errors] == ["line 3", "line 1", "line 2"]
