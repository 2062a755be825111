"""YAML's parse errors in plain words, for the files officers write by hand (``board/``, ``narrative.yaml``,
``cpkit.yaml``).

PyYAML says "mapping values are not allowed here" where an officer wrote a sentence with a colon in it;
:func:`plain_problem` says which line and what to do ("put the sentence in quotes"), so the message can
name the file and be read by someone who has never heard of a mapping. Cases it does not know keep
PyYAML's own words after the line number.
"""

from __future__ import annotations

import re

import yaml

_QUOTE = "put the whole text after the key's colon in double quotes"
# (PyYAML's problem starts with, what to say): the mistakes people make writing YAML by hand
_PLAIN: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed here",
        "a colon followed by a space inside a sentence; " + _QUOTE + ' (author: "Head of Service: Children")',
    ),
    ("found character '\\t'", "a tab; indent with spaces, not tabs"),
    (
        "found undefined alias",
        "text starting with * means something else in YAML; " + _QUOTE,
    ),
    ("found character '@'", "text cannot start with @ or `; " + _QUOTE),
    ("found character '`'", "text cannot start with @ or `; " + _QUOTE),
    ("found character '%'", "text cannot start with %; " + _QUOTE),
    (
        "could not find expected ':'",
        "a line that is neither 'key: value' nor a list item ('- ...'): a sentence carried on to a new "
        "line must be indented under its key, or the key has lost its colon",
    ),
    (
        "found unexpected end of stream",
        "a quote opened and never closed (a quoted text must end with the same quote mark)",
    ),
    (
        "expected <block end>, but found '<block mapping start>'",
        "this line is indented differently from the lines above it; line the keys of one item up",
    ),
    (
        "expected <block end>, but found '<scalar>'",
        "more text after a closing quote mark; put the whole text in quotes, or leave the quotes off",
    ),
    ("expected ',' or '}'", "a { opened and never closed; " + _QUOTE),
    ("expected ',' or ']'", "a [ opened and never closed; " + _QUOTE),
)


def plain_problem(error: yaml.YAMLError) -> str:
    """ "line 4: a colon followed by a space inside a sentence; put ... in double quotes": the line (from
    1) PyYAML stopped at and what to do, for a message that already names the file."""
    mark = getattr(error, "problem_mark", None)
    problem = str(getattr(error, "problem", None) or str(error).splitlines()[0])
    words = next((plain for start, plain in _PLAIN if problem.startswith(start)), problem)
    if mark is None:
        return words
    if problem.startswith(("found unexpected end of stream", "could not find expected ':'")):
        # where the quote was opened, or the line without its colon: where the scan started
        mark = getattr(error, "context_mark", None) or mark
    return f"line {mark.line + 1}: {words}"


def _scalars(node: yaml.Node):  # noqa: ANN202 - a generator of PyYAML's nodes
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def text_cut_by_a_note(text: str) -> tuple[int, str] | None:
    """(line, the words lost) where unquoted text is followed on its line by ``#`` and a word
    (``meeting: Board #1 meeting``): YAML takes `` #`` as the start of a note and drops the rest of the
    line without a word, so a paper would say "Board". ``None`` if no line does; a note written as
    ``  # a note`` (a space after the #) is taken as meant."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if root is None:
        return None
    lines = text.splitlines()
    for node in _scalars(root):
        if node.style is not None:  # quoted or a block (| or >): a # in it is text
            continue
        end = node.end_mark
        rest = lines[end.line][end.column :] if end.line < len(lines) else ""
        if re.match(r"^\s+#\S", rest):
            return end.line + 1, rest.strip()
    return None


def item_lines(text: str, key: str) -> list[int]:
    """The line (from 1) each item of the top-level list ``key`` starts on, for messages naming an item."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for name, value in root.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []
