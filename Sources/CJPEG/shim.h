#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <jpeglib.h>

/* libjpeg reports fatal errors through error_exit, which must not return
 * (libjpeg.txt, "Error handling"). Swift cannot call setjmp, and a longjmp
 * across Swift frames is undefined behaviour, so the whole decode runs in
 * this C function: error_exit jumps back into it, never into Swift. */

struct myo_jpeg_error {
  struct jpeg_error_mgr base;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

static void myo_jpeg_error_exit(j_common_ptr info) {
  struct myo_jpeg_error *error = (struct myo_jpeg_error *)info->err;
  (*info->err->format_message)(info, error->message);
  longjmp(error->jump, 1);
}

/* Warnings (such as corrupt data that libjpeg reads past) are dropped here;
 * the caller checks the decoded size. */
static void myo_jpeg_output_message(j_common_ptr info) { (void)info; }

/* Decodes a JPEG codestream. With output NULL only the header is read.
 * Returns 0 on success, else -1 with the library's message in message.
 * Three-component images are converted to RGB. With rgb_stream set (the
 * DICOM header says RGB), a stream without JFIF or Adobe markers is taken
 * as RGB rather than libjpeg's default guess of YCbCr. */
static inline int myo_jpeg_decode(
    const unsigned char *source, unsigned long size, unsigned char *output,
    unsigned long capacity, int rgb_stream, int *width, int *height,
    int *components, int *precision, char *message, int message_size) {
  struct jpeg_decompress_struct info;
  struct myo_jpeg_error error;
  memset(&info, 0, sizeof info);
  info.err = jpeg_std_error(&error.base);
  error.base.error_exit = myo_jpeg_error_exit;
  error.base.output_message = myo_jpeg_output_message;
  error.message[0] = 0;
  if (setjmp(error.jump)) {
    jpeg_destroy_decompress(&info);
    snprintf(message, (size_t)message_size, "%s", error.message);
    return -1;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, source, size);
  jpeg_read_header(&info, TRUE);
  *width = (int)info.image_width;
  *height = (int)info.image_height;
  *components = info.num_components;
  *precision = info.data_precision;
  if (output == NULL) {
    jpeg_destroy_decompress(&info);
    return 0;
  }
  if (info.num_components == 3) {
    if (rgb_stream && !info.saw_JFIF_marker && !info.saw_Adobe_marker)
      info.jpeg_color_space = JCS_RGB;
    info.out_color_space = JCS_RGB;
  }
  jpeg_start_decompress(&info);
  unsigned long stride =
      (unsigned long)info.output_width * (unsigned long)info.output_components;
  if (stride * info.output_height > capacity) {
    jpeg_destroy_decompress(&info);
    snprintf(message, (size_t)message_size,
             "decoded image needs %lu bytes, buffer has %lu",
             stride * info.output_height, capacity);
    return -1;
  }
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = output + stride * info.output_scanline;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return 0;
}
