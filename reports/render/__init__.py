"""The renderers: Word (docx.py, GB/T 9704), the Excel annex (xlsx.py) and HTML (html.py); each reads only
reports.document and lays it out."""
