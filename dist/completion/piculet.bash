# bash completion for piculet: the words come from piculet itself
# (`piculet help --words`, made from the --help texts and the database's
# mailbox and campaign names), so they follow the installed version.
_piculet() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	local -a typed=("${COMP_WORDS[@]:1:COMP_CWORD}") globals=()
	# Global options before the command go before `help` (--db names the
	# database whose names are offered).
	while [[ ${#typed[@]} -gt 2 && ${typed[0]} == --* ]]; do
		case ${typed[0]} in
		--db | --config)
			globals+=("${typed[@]:0:2}")
			typed=("${typed[@]:2}")
			;;
		*) typed=("${typed[@]:1}") ;;
		esac
	done
	local words
	words=$("${COMP_WORDS[0]}" "${globals[@]}" help --words "${typed[@]}" 2>/dev/null) || return 0
	local IFS=$'\n'
	# shellcheck disable=SC2207 # one candidate a line, as compgen prints them
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _piculet piculet
