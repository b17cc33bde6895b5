/*
 * classroom: the commands around exercises, a file each: verify exercise
 * (practice.c: a line-based prompt, scriptable), verify drill (drill.c),
 * verify check and verify grade (grading.c: a file of answers, a folder of
 * students' files into a gradebook), verify progress and verify reset
 * (progress_cmds.c).  What they share is in classroom.c and
 * classroom_shared.h; reading and marking answer files is the engine's
 * (lesson/answers.h).
 */
#ifndef DV_CLASSROOM_H
#define DV_CLASSROOM_H

int cmd_exercise(int argc, char **argv);
/* verify drill: the catalogue's mistakes, one after another, on a student's numbers */
int cmd_drill(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_progress(int argc, char **argv);
int cmd_reset(int argc, char **argv);

/* The seed of a student's numbers: the same id, the same numbers. */
unsigned long student_seed(const char *id);

#endif
