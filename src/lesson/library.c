#define _DEFAULT_SOURCE /* DT_ and readlink */
#include "lesson/library.h"

#include "core/strbuf.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VERIFY_SOURCE_LESSONS
#define VERIFY_SOURCE_LESSONS ""
#endif
#ifndef VERIFY_DATA_LESSONS
#define VERIFY_DATA_LESSONS ""
#endif

#define MAX_DIRS 16

typedef struct dirs {
	char *path[MAX_DIRS];
	size_t n;
} dirs;

static void add_dir(dirs *ds, const char *path, size_t len)
{
	char *p;
	if (len == 0 || ds->n == MAX_DIRS)
		return;
	p = malloc(len + 1);
	if (p == NULL)
		return;
	memcpy(p, path, len);
	p[len] = '\0';
	ds->path[ds->n++] = p;
}

static void search_dirs(dirs *ds)
{
	const char *env = getenv("VERIFY_LESSONS");
	char exe[PATH_MAX];
	ssize_t n;

	ds->n = 0;
	while (env != NULL && *env != '\0') {
		const char *colon = strchr(env, ':');
		size_t len = colon != NULL ? (size_t)(colon - env) : strlen(env);
		add_dir(ds, env, len);
		env = colon != NULL ? colon + 1 : env + len;
	}
	add_dir(ds, VERIFY_SOURCE_LESSONS, strlen(VERIFY_SOURCE_LESSONS));
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			char path[PATH_MAX + 32];
			*slash = '\0';
			snprintf(path, sizeof path, "%s/../share/verify/lessons", exe);
			add_dir(ds, path, strlen(path));
		}
	}
	add_dir(ds, VERIFY_DATA_LESSONS, strlen(VERIFY_DATA_LESSONS));
}

static void free_dirs(dirs *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		free(ds->path[i]);
	ds->n = 0;
}

static int ends_with_lesson(const char *name)
{
	size_t n = strlen(name);
	return n > 7 && strcmp(name + n - 7, ".lesson") == 0;
}

void lesson_library_free(lesson_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].path);
		lesson_free(list[i].lesson);
	}
	free(list);
}

static int by_course_order(const void *a, const void *b)
{
	const lesson_entry *x = a, *y = b;
	int ox = x->lesson != NULL ? x->lesson->order : 1000;
	int oy = y->lesson != NULL ? y->lesson->order : 1000;
	if (ox != oy)
		return ox < oy ? -1 : 1;
	return strcmp(x->name, y->name);
}

int lesson_library_list(lesson_entry **out, size_t *count, dv_diag *d)
{
	lesson_entry *list = NULL;
	size_t n = 0;
	dirs ds;

	*out = NULL;
	*count = 0;
	search_dirs(&ds);
	for (size_t i = 0; i < ds.n; i++) {
		DIR *dir = opendir(ds.path[i]);
		struct dirent *e;
		if (dir == NULL)
			continue;
		while ((e = readdir(dir)) != NULL) {
			char path[PATH_MAX];
			size_t len = strlen(e->d_name) - 7;
			int seen = 0;
			lesson_entry *grown;
			if (!ends_with_lesson(e->d_name))
				continue;
			for (size_t k = 0; k < n && !seen; k++)
				seen = strlen(list[k].name) == len &&
				       strncmp(list[k].name, e->d_name, len) == 0;
			if (seen)
				continue;
			grown = realloc(list, (n + 1) * sizeof *grown);
			if (grown == NULL)
				break;
			list = grown;
			memset(&list[n], 0, sizeof list[n]);
			snprintf(path, sizeof path, "%s/%s", ds.path[i], e->d_name);
			list[n].name = strndup(e->d_name, len);
			list[n].path = strdup(path);
			if (list[n].name == NULL || list[n].path == NULL) {
				n++;
				break;
			}
			lesson_load(&list[n].lesson, path, &list[n].errors);
			n++;
		}
		closedir(dir);
	}
	free_dirs(&ds);
	for (size_t i = 0; i < n; i++) {
		if (list[i].name == NULL || list[i].path == NULL) {
			lesson_library_free(list, n);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
	}
	if (n > 1)
		qsort(list, n, sizeof *list, by_course_order);
	*out = list;
	*count = n;
	return DV_OK;
}

int lesson_library_find(char **path, const char *name, dv_diag *d)
{
	dirs ds;

	*path = NULL;
	for (const char *c = name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
			return dv_fail(d, DV_E_USAGE,
			               "'%s' is not a lesson name (see verify --list)",
			               name);
	search_dirs(&ds);
	for (size_t i = 0; i < ds.n; i++) {
		char p[PATH_MAX];
		snprintf(p, sizeof p, "%s/%s.lesson", ds.path[i], name);
		if (access(p, R_OK) == 0) {
			*path = strdup(p);
			free_dirs(&ds);
			return *path != NULL ? DV_OK
			                     : dv_fail(d, DV_E_NOMEM, "out of memory");
		}
	}
	free_dirs(&ds);
	if (strcmp(name, "all") == 0)
		return dv_fail(d, DV_E_USAGE, "no lesson 'all' (did you mean --all?)");
	{
		/* the nearest name, for a typo */
		lesson_entry *list = NULL;
		size_t n = 0, best = 3;
		char near[64] = "";
		dv_diag quiet;
		dv_diag_clear(&quiet);
		if (lesson_library_list(&list, &n, &quiet) == DV_OK) {
			for (size_t i = 0; i < n; i++) {
				size_t dist = dv_edit_distance(name, list[i].name);
				if (dist < best) {
					best = dist;
					snprintf(near, sizeof near, "%s", list[i].name);
				}
			}
			lesson_library_free(list, n);
		}
		if (near[0] != '\0')
			return dv_fail(
			        d, DV_E_USAGE,
			        "no lesson '%s' (did you mean '%s'? verify --list shows "
			        "them)",
			        name, near);
	}
	return dv_fail(d, DV_E_USAGE, "no lesson '%s' (verify --list shows them)", name);
}
