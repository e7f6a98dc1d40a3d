"""The workbook import: reading and cleaning cells, finding units and venues, and the one engine."""
