#!/usr/bin/env bash
# Checks the visitor's translations (po-visitor/, issue 18):
# 1. every source file with visitor strings (NV_()) is listed in
#    po-visitor/POTFILES.in;
# 2. each catalogue of po-visitor/LINGUAS translates every visitor string
#    of the current sources, none fuzzy, and keeps its printf formats and
#    mnemonic underscores.
set -euo pipefail
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

listed=$(grep -v '^#' po-visitor/POTFILES.in | sed '/^$/d' | sort -u)
marked=$(grep -rlE '(^|[^A-Za-z_])NV_[[:space:]]*\(' --include='*.c' app ui | grep -v 'fl-visitor-text.h' | sort -u || true)
missing=$(comm -13 <(echo "$listed") <(echo "$marked") | sed '/^$/d')
if [[ -n "$missing" ]]; then
  echo "Files with visitor strings (NV_) missing from po-visitor/POTFILES.in:"
  echo "$missing"
  status=1
fi

xgettext --package-name=fairlead-visitor --from-code=UTF-8 --keyword --keyword=NV_ \
  --files-from=po-visitor/POTFILES.in --directory=. -o "$tmp/fairlead-visitor.pot"
n=$(grep -c '^msgid "' "$tmp/fairlead-visitor.pot")
echo "visitor strings: $((n - 1))"
for lang in $(grep -v '^#' po-visitor/LINGUAS); do
  if [[ ! -f "po-visitor/$lang.po" ]]; then
    echo "po-visitor/$lang.po is missing"
    status=1
    continue
  fi
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "po-visitor/$lang.po" "$tmp/fairlead-visitor.pot"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  if echo "$stats" | grep -qE 'untranslated|fuzzy|error'; then
    echo "po-visitor/$lang.po is incomplete: translate these messages"
    msgattrib --untranslated "$tmp/$lang.po" | grep '^msgid' | sed 1d | head -20 || true
    msgattrib --only-fuzzy "$tmp/$lang.po" | grep '^msgid' | sed 1d | head -20 || true
    status=1
  fi
  # A mnemonic in English needs one in the translation.
  if ! msgattrib --translated --no-wrap "$tmp/$lang.po" |
      awk '/^msgid "_/ { want = 1; next } /^msgstr "/ { if (want && $0 !~ /_/) { print; bad = 1 } want = 0 } END { exit bad }'; then
    echo "po-visitor/$lang.po: a translation lost its mnemonic underscore"
    status=1
  fi
done
exit $status
