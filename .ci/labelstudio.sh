#!/usr/bin/env bash
# Label Studio for the live round-trip test (tests/test_labelstudio_live.py), in its OWN
# virtual environment (it pins its own Django and friends): $SAIDWHO_LABELSTUDIO_VENV,
# default .venv-labelstudio. Also migrates an empty database once into VENV/saidwho-template,
# which the test copies so that each run starts in seconds instead of a minute or two.
# Safe to run again: does only what is missing. Never fails CI: where the install or the
# migration cannot be done it says why and exits 0; the live test then skips with that reason.
set -u
cd "$(dirname "$0")/.."
venv="${SAIDWHO_LABELSTUDIO_VENV:-.venv-labelstudio}"
case "$venv" in /*) ;; *) venv="$PWD/$venv" ;; esac

if [ ! -x "$venv/bin/label-studio" ]; then
  if ! python3 -m venv "$venv"; then
    echo "labelstudio.sh: could not create the virtual environment $venv: the live Label Studio test will skip"
    exit 0
  fi
  if ! "$venv/bin/pip" install -q label-studio; then
    echo "labelstudio.sh: pip could not install label-studio into $venv (no network?): the live Label Studio test will skip"
    exit 0
  fi
fi
version="$("$venv/bin/python" -c 'import label_studio; print(label_studio.__version__)' 2>/dev/null || echo '(version unknown)')"
echo "labelstudio.sh: label-studio $version is installed in $venv"

template="$venv/saidwho-template"
if [ ! -f "$template/label_studio.sqlite3" ]; then
  package="$("$venv/bin/python" -c 'import label_studio, os; print(os.path.dirname(label_studio.__file__))' 2>/dev/null)"
  rm -rf "$template.part" && mkdir -p "$template.part"
  if (cd "$package" && LABEL_STUDIO_BASE_DATA_DIR="$template.part" DJANGO_SETTINGS_MODULE=core.settings.label_studio \
        LATEST_VERSION_CHECK=false "$venv/bin/python" manage.py migrate --noinput >/dev/null 2>&1) \
     && [ -f "$template.part/label_studio.sqlite3" ]; then
    rm -rf "$template" && mv "$template.part" "$template"
    echo "labelstudio.sh: migrated an empty database into $template"
  else
    rm -rf "$template.part"
    echo "labelstudio.sh: could not migrate a template database; the live test will migrate its own (slower)"
  fi
fi
exit 0
