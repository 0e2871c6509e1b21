"""A Sphinx extension of the course: include each page script once.

sphinx-thebe adds its configuration script (``const THEBE_JS_URL = ...``) each time
Sphinx fires ``env-before-read-docs``, which a Jupyter Book build fires twice, so
every page declared the constant twice and the browser reported a SyntaxError.
This drops exact repeats from the page's script list, keeping the first.
"""


def _dedupe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        # the same file (or inline body) and attributes; an inline script's filename is None or ""
        attributes = getattr(script, "attributes", {}) or {}
        key = (getattr(script, "filename", None) or "", tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(script)
    scripts[:] = kept


def setup(app):
    app.connect("html-page-context", _dedupe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
