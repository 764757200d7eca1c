#include <hdf5.h>

/* The predefined types are macros over mutable globals, which Swift 6
   rejects; these functions return them. */
static inline hid_t myoscope_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t myoscope_h5t_c_s1(void) { return H5T_C_S1; }
