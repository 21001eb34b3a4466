#!/usr/bin/env bash
# Checks the translations:
# 1. every source file with translatable strings is listed in po/POTFILES.in;
# 2. po/de.po translates every message of the current sources, none fuzzy.
set -euo pipefail
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort -u)
marked=$( { grep -rlE '(^|[^A-Za-z_])(N?C?_|g_dngettext|ngettext)[[:space:]]*\(' --include='*.c' app ui 2>/dev/null || true;
            grep -rl 'translatable="yes"' --include='*.ui' ui 2>/dev/null || true;
            ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true; } | sort -u)
missing=$(comm -13 <(echo "$listed") <(echo "$marked") | sed '/^$/d')
if [[ -n "$missing" ]]; then
  echo "Files with translatable strings missing from po/POTFILES.in:"
  echo "$missing"
  status=1
fi
for f in $listed; do
  [[ -e "$f" ]] || { echo "po/POTFILES.in lists $f, which does not exist"; status=1; }
done

xgettext --package-name=fairlead --from-code=UTF-8 \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --files-from=po/POTFILES.in --directory=. -o "$tmp/fairlead.pot"
for lang in $(grep -v '^#' po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "po/$lang.po" "$tmp/fairlead.pot"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  if echo "$stats" | grep -qE 'untranslated|fuzzy'; then
    echo "po/$lang.po is incomplete: run po/update-po.sh and translate the new messages"
    msgattrib --untranslated --only-fuzzy "$tmp/$lang.po" 2>/dev/null | grep '^msgid' | head -20 || true
    msgattrib --untranslated "$tmp/$lang.po" | grep '^msgid' | head -20
    status=1
  fi
done
exit $status
