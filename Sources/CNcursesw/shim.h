#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <stdio.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

/* Accessors for ncurses and stdio globals, which Swift 6 does not let
   code read directly because they are shared mutable state. */
static inline WINDOW *myo_stdscr(void) { return stdscr; }
static inline int myo_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *myo_stdout(void) { return stdout; }
static inline FILE *myo_stdin(void) { return stdin; }
static inline TERMINAL *myo_cur_term(void) { return cur_term; }

/* The mouse event masks are macros whose bit layout depends on
   NCURSES_MOUSE_VERSION, so they are read here from curses.h itself. */
static inline mmask_t myo_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t myo_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t myo_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t myo_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t myo_report_mouse_position(void) {
  return REPORT_MOUSE_POSITION;
}
