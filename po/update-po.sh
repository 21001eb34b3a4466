#!/usr/bin/env bash
# Regenerates fairlead.pot from POTFILES.in and merges it into every catalogue.
set -euo pipefail
cd "$(dirname "$0")"
xgettext --package-name=fairlead --from-code=UTF-8 --add-comments=Translators \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --files-from=POTFILES.in --directory=.. -o fairlead.pot
for lang in $(grep -v '^#' LINGUAS); do
  msgmerge --quiet --update --backup=none --no-fuzzy-matching "$lang.po" fairlead.pot
done
