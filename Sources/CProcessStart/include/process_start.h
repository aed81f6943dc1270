#ifndef LABGEN_PROCESS_START_H
#define LABGEN_PROCESS_START_H

/// Does nothing: calling it keeps process_start.c (and its constructor) in the executable.
void labgen_process_start_linked(void);

#endif
