"""Label Studio round trip: export records as tasks, import Label Studio's JSON export as records.

- :mod:`.config`: the labelling interface (``configs/labelstudio.xml``) and the
  names of its controls, the one place both directions read them from.
- :mod:`.offsets`: Python (code point) and JavaScript (UTF-16) offsets.
- :mod:`.export`: records -> tasks with ``predictions`` or ``annotations``;
  picking the articles the model is least sure of.
- :mod:`.imports`: Label Studio's JSON export -> FORMAT.md records.
- :mod:`.command`: the typer commands ``export labelstudio`` and ``import labelstudio``.
"""

from saidwho.labelstudio.export import article_to_task, export_tasks, select_uncertain
from saidwho.labelstudio.imports import import_export, tasks_to_articles

__all__ = ["article_to_task", "export_tasks", "import_export", "select_uncertain", "tasks_to_articles"]
