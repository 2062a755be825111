from datetime import datetime

from cpkit.actions.text import clean_text


def test_sharepoint_markup_becomes_lines():
    html = "<p>Panel met&nbsp;&amp; agreed:</p><ul><li>3/7/25 draft</li><li>15.7.25 final</li></ul>"
    assert clean_text(html) == "Panel met & agreed:\n\u2022 3/7/25 draft\n\u2022 15.7.25 final"


def test_br_and_entities():
    assert clean_text("Line one<br>Line&#39;s two<br/>") == "Line one\nLine's two"


def test_plain_text_with_angle_brackets_is_left_alone():
    assert clean_text("fewer than 5 < 10  moves") == "fewer than 5 < 10 moves"


def test_spreadsheet_values():
    assert clean_text(datetime(2025, 10, 31)) == "31/10/2025"
    assert clean_text(3.0) == "3" and clean_text(None) == ""
