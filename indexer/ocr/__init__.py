"""Text recognition for scans: Tesseract through OCRmyPDF, on a queue kept in the catalogue.

- `detect.pages_to_ocr(path, media_type, text)`: at ingest, which pages of a file have no text
  layer but an image (None when none does): the record is queued.
- `engine.run_ocr(job)`: in a worker process, one file -> a searchable PDF and its text.
- `runner.OcrRunner`: the queue worked through on every core, results written to the
  catalogue (text, language, thematics, searchable PDF) and the index.
- `tools.missing_tools(languages)`: what is not installed (Tesseract, its language packs).

Nothing here imports ocrmypdf at module level: a machine without it still indexes and serves.
"""
