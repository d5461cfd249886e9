# Shared by bin/bo-serve and bin/bo-test: find Odoo 19.0 and its Python.
# shellcheck shell=bash

BO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BO_ADDONS=${BO_ADDONS:-bo_base,bo_mailroom,bo_orders,bo_orders_mailroom,bo_suppliers,bo_suppliers_l10n_it_edi,bo_suppliers_l10n_it_edi_mailroom,bo_mailroom_l10n_it_edi,bo_reports,bo_reports_suppliers,bo_reports_mailroom,bo_reports_orders}

die() { echo "error: $*" >&2; exit 2; }

# A Python that imports odoo 19.0, from (in order) $ODOO_PYTHON, the active
# virtualenv, python3 on PATH, or a virtualenv next to an Odoo checkout.
# With $ODOO_PATH (a checkout that has odoo-bin) any of them may do, with the
# checkout put first on PYTHONPATH.
bo_find_odoo() {
    local candidates=() py
    [ -n "${ODOO_PYTHON:-}" ] && candidates+=("$ODOO_PYTHON")
    [ -n "${VIRTUAL_ENV:-}" ] && candidates+=("$VIRTUAL_ENV/bin/python")
    candidates+=(python3 /opt/odoo19-venv/bin/python /opt/odoo/venv/bin/python /usr/bin/python3)
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo-bin" ] || die "ODOO_PATH=$ODOO_PATH has no odoo-bin: point it at an Odoo 19.0 checkout."
        export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
    fi
    for py in "${candidates[@]}"; do
        command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import odoo.release as r, sys; sys.exit(r.version_info[:2] != (19, 0))' 2>/dev/null; then
            ODOO_PY=$(command -v "$py")
            break
        fi
    done
    [ -n "${ODOO_PY:-}" ] || die "Odoo 19.0 not found. Install Odoo 19.0 Community so that 'python3 -c \"import odoo\"' works (or set ODOO_PYTHON to the Python that imports it), or set ODOO_PATH to an Odoo 19.0 checkout."
    # The stock addons (sale, purchase, ...) live beside the odoo package in a
    # checkout, inside it in a packaged install.
    local odoo_dir
    odoo_dir=$("$ODOO_PY" -c 'import odoo, os; print(os.path.dirname(list(odoo.__path__)[0]))')
    BO_ADDONS_PATH="$BO_ROOT/addons"
    [ -d "$odoo_dir/addons/sale" ] && BO_ADDONS_PATH="$odoo_dir/addons,$BO_ADDONS_PATH"
    export ODOO_PY BO_ADDONS_PATH
}

# Odoo's command line, with our addons.
odoo_cmd() {
    "$ODOO_PY" -m odoo "$@" --addons-path="$BO_ADDONS_PATH" --http-interface=127.0.0.1
}

bo_pip_install() {
    "$ODOO_PY" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 \
        | grep -v -E "is ignored: it is neither|^$" || true
}
