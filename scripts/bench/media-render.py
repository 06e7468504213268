"""Peer for the personalised-picture benchmark: the same template rendered with Pillow + ImageFont.

Reads the fixture that `render_bench` wrote (background.jpg, setup.json with font, size, box, quality and colour,
unique.txt and zipf.txt) and renders each name the way a Pillow script would: copy the decoded background, shrink
the font until the name fits the box, draw it centred, save a JPEG at the same quality. Single-threaded.
Prints one JSON object: milliseconds per render (median over runs) for the unique names and for a sample of the
Zipf recipients (Pillow renders every recipient; there is no dedupe to give it).
"""
import io
import json
import statistics
import sys
import time

from PIL import Image, ImageDraw, ImageFont, __version__

folder, runs, zipf_sample = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
setup = json.load(open(f"{folder}/setup.json"))
background = Image.open(f"{folder}/background.jpg").convert("RGB")
background.load()
x, y, w, h = setup["box"]
colour = tuple(setup["color"])
fonts = {}


def font(size):
    if size not in fonts:
        fonts[size] = ImageFont.truetype(setup["font"], size)
    return fonts[size]


def render(name):
    size = int(setup["size"])
    width = font(size).getlength(name)
    if width > w:
        size = max(12, int(size * w / width))
    picture = background.copy()
    ImageDraw.Draw(picture).text((x + w / 2, y + h / 2), name, font=font(size), fill=colour, anchor="mm")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=setup["quality"])
    return out.getvalue()


def per_render_ms(names):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for name in names:
            render(name)
        times.append((time.perf_counter() - started) * 1000 / len(names))
    return statistics.median(times), times


unique = open(f"{folder}/unique.txt").read().split("\n")
zipf = open(f"{folder}/zipf.txt").read().split("\n")[:zipf_sample]
unique_ms, unique_runs = per_render_ms(unique)
zipf_ms, zipf_runs = per_render_ms(zipf)
print(json.dumps({"pillow": __version__, "unique_ms_per_render": unique_ms, "unique_runs_ms": unique_runs,
                  "zipf_ms_per_render": zipf_ms, "zipf_runs_ms": zipf_runs}))
