# Tiny helpers to write the course's diagrams as plain SVG.
import html
C = {"acc": "#f4d6c6", "accs": "#a0451c", "recv": "#d7e8f7", "recvs": "#2b6ca3", "send": "#dff2d8", "sends": "#3c8a2e",
     "anc": "#eeeeee", "ancs": "#777777", "warn": "#fbe3e3", "warns": "#b33", "y": "#fff3c4", "ys": "#b08a00",
     "blue": "#cfe0ff", "blues": "#2350a8", "g": "#cdeccd", "gs": "#2f7d32"}
class Svg:
    def __init__(s, w, h):
        s.w, s.h, s.parts = w, h, []
    def add(s, x): s.parts.append(x)
    def box(s, x, y, w, h, fill, stroke, text="", size=18, r=10, dash=False, bold=False, tcolor="#222", sw=2):
        d = ' stroke-dasharray="8 5"' if dash else ""
        s.add(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{d}/>')
        if text:
            lines = text.split("\n"); n = len(lines)
            for i, t in enumerate(lines):
                ty = y + h / 2 + (i - (n - 1) / 2) * size * 1.2 + size * 0.35
                s.text(x + w / 2, ty, t, size=size, anchor="middle", bold=bold, color=tcolor)
    def circle(s, x, y, r, fill, stroke, text="", size=14):
        s.add(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>')
        if text: s.text(x, y + size * 0.35, text, size=size, anchor="middle")
    def text(s, x, y, t, size=18, anchor="start", bold=False, color="#222", italic=False, mono=False):
        fam = "DejaVu Sans Mono, monospace" if mono else "DejaVu Sans, Arial, sans-serif"
        w = ' font-weight="bold"' if bold else ""
        it = ' font-style="italic"' if italic else ""
        s.add(f'<text x="{x}" y="{y}" font-family="{fam}" font-size="{size}" text-anchor="{anchor}" fill="{color}"{w}{it}>{html.escape(t)}</text>')
    def arrow(s, x1, y1, x2, y2, color="#444", label="", size=15, dash=False, lx=None, ly=None, anchor="middle", sw=2.5):
        d = ' stroke-dasharray="7 5"' if dash else ""
        mid = color.replace("#", "")
        s.add(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{color}" stroke-width="{sw}"{d} marker-end="url(#a{mid})"/>')
        s.markers = getattr(s, "markers", set()); s.markers.add(color)
        if label:
            s.text(lx if lx is not None else (x1 + x2) / 2, ly if ly is not None else (y1 + y2) / 2 - 6, label, size=size, anchor=anchor, color=color)
    def poly_arrow(s, points, color="#444", dash=False, sw=2.5):
        d = ' stroke-dasharray="7 5"' if dash else ""
        pts = " ".join(f"{x},{y}" for x, y in points)
        s.add(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="{sw}"{d} marker-end="url(#a{color.replace("#", "")})"/>')
        s.markers = getattr(s, "markers", set()); s.markers.add(color)
    def line(s, x1, y1, x2, y2, color="#444", sw=2, dash=False):
        d = ' stroke-dasharray="7 5"' if dash else ""
        s.add(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{color}" stroke-width="{sw}"{d}/>')
    def write(s, path, title):
        defs = "".join(
            f'<marker id="a{c.replace("#", "")}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>' for c in sorted(getattr(s, "markers", set())))
        body = "\n".join(s.parts)
        out = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {s.w} {s.h}" width="{s.w}" height="{s.h}">\n'
               f'<title>{html.escape(title)}</title>\n<defs>{defs}</defs>\n<rect width="100%" height="100%" fill="white"/>\n{body}\n</svg>\n')
        open(path, "w").write(out)
