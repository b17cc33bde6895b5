/*
 * notes: the `verify notes FILE.md` command.
 */
#ifndef DV_CLI_NOTES_H
#define DV_CLI_NOTES_H

/* Runs the command; returns the exit status. */
int cmd_notes(int argc, char **argv);

#endif
