"""Marquee's black-box checks: the real `marquee` binary over HTTP, as an outside suite sees
it. `scripts/e2e.py` runs them; `scripts/web_e2e.py` drives the web app in Chromium with the
same harness. Each `checks_*.py` module registers its checks with `@check`."""
