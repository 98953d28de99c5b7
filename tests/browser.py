"""Pages as a person sees them: headless Chromium (Debian's `chromium`, installed by `make test`) renders
a page at a window size and returns the DOM after layout, with whether anything overflows to the right."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# Appended to a copy of the page: after layout, the page says whether it is wider than the window.
_PROBE = (
    "<script>window.addEventListener('load', () => document.body.setAttribute('data-overflows',"
    " String(document.documentElement.scrollWidth > document.documentElement.clientWidth)));</script>"
)


def render(page: bytes, *, width: int = 1280, height: int = 900, screenshot: Path | None = None) -> str:
    """The rendered DOM of an HTML page (after its load event), optionally saving a screenshot."""
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: `make test` installs it (apt-get install chromium)"
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "page.html"
        copy.write_bytes(page.replace(b"</body>", _PROBE.encode() + b"</body>"))
        common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"]
        if screenshot is not None:
            subprocess.run([*common, f"--screenshot={screenshot}", copy.as_uri()], capture_output=True, timeout=120)
        done = subprocess.run(
            [*common, "--virtual-time-budget=2000", "--dump-dom", copy.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return done.stdout
