# bash completion for diag and its tools (diag-sys, diag-smart, ...).
# Installed once per command name in /usr/share/bash-completion/completions, which
# bash-completion loads on first use. Long options come from the tool's own --help, so they are
# never out of step with it.

_diag_options() {
    "$1" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

# Completes the arguments of one tool; $1 is the tool's command name.
_diag_tool_args() {
    local tool=$1 cur=$2 prev=$3
    case $prev in
        --root | --dir | --state-dir | --devices-from)
            _filedir -d
            return
            ;;
        --prom | --exe | --from-smartctl | --rules | --bundle)
            _filedir
            return
            ;;
        --color)
            mapfile -t COMPREPLY < <(compgen -W 'auto always never' -- "$cur")
            return
            ;;
        -p | --pid)
            _pids
            return
            ;;
        --timeout | --interval | -i | --count | -n | --frames | --since | --until | --around | \
            --window | --size | --follow-for | -w | --warning | -c | --critical)
            return
            ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_diag_options "$tool")" -- "$cur")
        return
    fi
    case ${tool##*/} in
        diag-nic)
            mapfile -t COMPREPLY < <(compgen -W "$(command ls /sys/class/net 2>/dev/null)" -- "$cur")
            ;;
        diag-smart)
            mapfile -t COMPREPLY < <(compgen -W "$(command ls /sys/block 2>/dev/null |
                sed 's|^|/dev/|')" -- "$cur")
            ;;
        diag-core | diag-logs)
            _filedir
            ;;
    esac
}

_diag_tool() {
    local cur prev words cword
    _init_completion || return
    _diag_tool_args "$1" "$cur" "$prev"
}

# diag TOOL [OPTION]...: the tool names first, then that tool's arguments.
_diag() {
    local cur prev words cword
    _init_completion || return
    if [[ $cword -eq 1 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$("$1" --help 2>/dev/null |
            awk '/^Tools:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ { on = 0 }')" -- "$cur")
        return
    fi
    _diag_tool_args "diag-${words[1]}" "$cur" "$prev"
}

complete -F _diag diag
complete -F _diag_tool diag-sys diag-report diag-smart diag-logs diag-nic diag-mem diag-core diag-top
