# Bash completion of verify: commands, options, lesson names (from
# verify --list), exercise ids (verify exercise LESSON --list) and, after
# --answers or a grade's lesson, files.
# Installed by cmake --install; zsh loads it through bashcompinit
# (completion/_verify).
_verify()
{
	local cur prev words cword
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="tutor eval notes exercise drill check grade progress reset"
	local options="--lesson --all --lesson-file --list --seed --student --size --format --no-color --help --version"
	lessons() { verify --list 2>/dev/null | awk '{print $1}'; }
	case $prev in
	--lesson | tutor | exercise | check | grade | reset)
		if [ "${cur#-}" = "$cur" ]; then
			COMPREPLY=($(compgen -W "$(lessons)" -- "$cur"))
			return
		fi ;;
	--lesson-file | --answers | --context)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	notes)
		COMPREPLY=($(compgen -f -X '!*.md' -- "$cur") $(compgen -f -X '!*.ipynb' -- "$cur") $(compgen -f -X '!*.tex' -- "$cur") $(compgen -d -- "$cur"))
		return ;;
	--notes)
		if [ "${COMP_WORDS[1]}" = grade ]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		else
			COMPREPLY=($(compgen -f -X '!*.md' -- "$cur") $(compgen -f -X '!*.ipynb' -- "$cur") $(compgen -f -X '!*.tex' -- "$cur") $(compgen -d -- "$cur"))
		fi
		return ;;
	--format)
		# each command's own formats (verify --help)
		local formats="text json tap markdown html"
		case ${COMP_WORDS[1]} in
		eval) formats="text json latex markdown" ;;
		notes) formats="text json markdown html lesson" ;;
		check) formats="text json" ;;
		grade)
			formats="csv csv-long json"
			for w in "${COMP_WORDS[@]}"; do [ "$w" = --notes ] && formats="csv json"; done ;;
		esac
		COMPREPLY=($(compgen -W "$formats" -- "$cur"))
		return ;;
	--seed | --student | --size | --let | --count)
		return ;;
	esac
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands $options" -- "$cur"))
		return
	fi
	# exercise LESSON ID: the lesson's exercise ids
	if [ "${COMP_WORDS[1]}" = exercise ] && [ "$COMP_CWORD" -eq 3 ] && [ "${cur#-}" = "$cur" ]; then
		COMPREPLY=($(compgen -W "$(verify exercise "${COMP_WORDS[2]}" --list 2>/dev/null | awk '{print $1}')" -- "$cur"))
		return
	fi
	case ${COMP_WORDS[1]} in
	eval) COMPREPLY=($(compgen -W "--let --symbolic --seed --student --format --name --ascii" -- "$cur")) ;;
	exercise) COMPREPLY=($(compgen -W "--student --lesson-file --list" -- "$cur")) ;;
	drill) COMPREPLY=($(compgen -W "--student --seed --count" -- "$cur")) ;;
	check) COMPREPLY=($(compgen -W "--answers --student --format --lesson-file" -- "$cur")) ;;
	grade) COMPREPLY=($(compgen -d -- "$cur") $(compgen -W "--format --lesson-file --notes --context --jobs --seconds" -- "$cur")) ;;
	notes) COMPREPLY=($(compgen -f -X '!*.md' -- "$cur") $(compgen -f -X '!*.ipynb' -- "$cur") $(compgen -f -X '!*.tex' -- "$cur") $(compgen -W "--context --format --seed --no-color" -- "$cur")) ;;
	tutor) COMPREPLY=($(compgen -W "$(lessons) --notes --context --lesson-file --seed --student" -- "$cur")) ;;
	progress) COMPREPLY=($(compgen -W "--student" -- "$cur")) ;;
	reset) COMPREPLY=($(compgen -W "--student --yes" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -W "$options" -- "$cur")) ;;
	esac
}
complete -F _verify verify
