"""Names and messages shown through Streamlit's markdown are escaped (ui.markdown.plain)."""
from ui.markdown import plain


def test_markdown_syntax_is_escaped():
    assert plain("[Bấm](http://e.vil)") == r"\[Bấm\](http://e.vil)"
    assert plain("*đậm* _nghiêng_ `mã` $x$ <b>") == r"\*đậm\* \_nghiêng\_ \`mã\` \$x\$ \<b\>"
    assert plain(":red[đỏ] ~gạch~ a|b") == r":red\[đỏ\] \~gạch\~ a\|b"
    assert plain("C:\\thư mục") == "C:\\\\thư mục"


def test_line_starts_are_escaped_only_where_they_would_make_blocks():
    assert plain("- một\n+ hai\n# ba\n> bốn\n===") == "\\- một\n\\+ hai\n\\# ba\n\\> bốn\n\\==="
    assert plain("- một\n  + hai") == "\\- một\n  \\+ hai"
    assert plain("1. một\n2) hai\n3.") == "1\\. một\n2\\) hai\n3\\."
    assert plain("18.764 trẻ em, 2025-2030") == "18.764 trẻ em, 2025-2030"  # no block: left as typed
    assert plain("Sì Lở Lầu (Phong Thổ)") == "Sì Lở Lầu (Phong Thổ)"


def test_anything_is_shown_as_text():
    assert plain(12) == "12" and plain(None) == "None"
