from planner.errors import error_detail


def test_error_detail_is_the_first_line_or_the_type():
    assert error_detail(OSError("disk I/O error\nmore")) == "disk I/O error"
    assert error_detail(RuntimeError("")) == "RuntimeError"  # GDAL may raise with no message
    assert error_detail(ValueError("  \n")) == "ValueError"
    assert error_detail(ValueError("x" * 300)) == "x" * 200
