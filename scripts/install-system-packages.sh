#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the registry needs, only those that are missing, and
# makes sure PostgreSQL is running. Safe to run again: when everything is there it only looks.
#   PostgreSQL server (if absent), PostGIS for the installed PostgreSQL version, GDAL (with
#   GEOS and PROJ), gettext. With BROWSER=1 also Chromium and the Noto CJK fonts for the
#   browser tests (without the fonts, Chinese renders as empty boxes).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null 2>&1; then
  missing+=(postgresql)
  pg_version=""
else
  pg_version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
fi
if [ -n "$pg_version" ] && [ ! -f "/usr/share/postgresql/$pg_version/extension/postgis.control" ]; then
  missing+=("postgresql-$pg_version-postgis-3")
fi
command -v ogr2ogr >/dev/null 2>&1 && ldconfig -p | grep -q 'libgdal\.so' || missing+=(gdal-bin)
ldconfig -p | grep -q 'libgeos_c\.so' || missing+=(libgeos-c1v5)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if [ "${BROWSER:-0}" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] && fc-list 2>/dev/null | grep -q 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostGIS for a PostgreSQL that was only just installed.
pg_version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -n "$pg_version" ] && [ ! -f "/usr/share/postgresql/$pg_version/extension/postgis.control" ]; then
  echo "Installing PostGIS for PostgreSQL $pg_version"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "postgresql-$pg_version-postgis-3" >/dev/null
fi

if ! pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}"; then
  echo "Starting PostgreSQL $pg_version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
  for _ in $(seq 30); do pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" && break; sleep 1; done
fi
