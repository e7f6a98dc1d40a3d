"""The workbook import, one way down: engine -> readers -> directories -> cells -> the registry and models.

- `cells`: cleaning a cell by the data dictionary's rules (text, codes, numbers, the five date forms).
- `directories`: the units and venues a workbook names, loaded once per import (`Lookups`).
- `readers`: one reader per column kind, cell -> value for the import and value -> cell for exports.
- `engine`: `import_workbook` and `import_sheets`, the one engine behind `manage.py import_workbook`,
  the admin's 导入工作簿 page and each sheet's 导入 button.

Nothing here imports the admin (its django-import-export adapters are youthwork.admin.resources) or the
portal; the registry (youthwork.ledgers) and the models know nothing of the import.
"""
