#include <string.h>
#include <stdio.h>
#include <openjpeg.h>

/* A read-only memory stream and message capture for OpenJPEG, written in
 * C so that the library's callbacks never call into Swift. */

struct myo_j2k_source {
  const unsigned char *data;
  OPJ_SIZE_T size;
  OPJ_SIZE_T position;
};

static OPJ_SIZE_T myo_j2k_read(void *buffer, OPJ_SIZE_T count, void *user) {
  struct myo_j2k_source *source = (struct myo_j2k_source *)user;
  if (source->position >= source->size) return (OPJ_SIZE_T)-1;
  OPJ_SIZE_T left = source->size - source->position;
  OPJ_SIZE_T n = count < left ? count : left;
  memcpy(buffer, source->data + source->position, n);
  source->position += n;
  return n;
}

static OPJ_OFF_T myo_j2k_skip(OPJ_OFF_T count, void *user) {
  struct myo_j2k_source *source = (struct myo_j2k_source *)user;
  if (count < 0) {
    if ((OPJ_SIZE_T)(-count) > source->position) return -1;
  } else if ((OPJ_SIZE_T)count > source->size - source->position) {
    count = (OPJ_OFF_T)(source->size - source->position);
  }
  source->position = (OPJ_SIZE_T)((OPJ_OFF_T)source->position + count);
  return count;
}

static OPJ_BOOL myo_j2k_seek(OPJ_OFF_T offset, void *user) {
  struct myo_j2k_source *source = (struct myo_j2k_source *)user;
  if (offset < 0 || (OPJ_SIZE_T)offset > source->size) return OPJ_FALSE;
  source->position = (OPJ_SIZE_T)offset;
  return OPJ_TRUE;
}

static void myo_j2k_message(const char *text, void *user) {
  char *message = (char *)user;
  if (message[0] == 0) snprintf(message, 256, "%s", text);
}

static void myo_j2k_ignore(const char *text, void *user) {
  (void)text;
  (void)user;
}

/* Decodes a JPEG 2000 codestream (FF 4F FF 51) or JP2 file. Returns the
 * image, to be freed with opj_image_destroy, or NULL with the first error
 * message in message (at least 256 bytes). Codestreams wider than
 * max_width or taller than max_height are rejected before decoding. */
static inline opj_image_t *myo_j2k_decode(
    const unsigned char *data, size_t size, unsigned max_width,
    unsigned max_height, char *message) {
  message[0] = 0;
  int jp2 = size >= 12 && data[4] == 'j' && data[5] == 'P';
  opj_codec_t *codec = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  if (codec == NULL) {
    snprintf(message, 256, "cannot create the decoder");
    return NULL;
  }
  opj_set_error_handler(codec, myo_j2k_message, message);
  opj_set_warning_handler(codec, myo_j2k_ignore, NULL);
  opj_set_info_handler(codec, myo_j2k_ignore, NULL);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  opj_image_t *image = NULL;
  struct myo_j2k_source source = {data, size, 0};
  opj_stream_t *stream = opj_stream_create(1 << 16, OPJ_TRUE);
  if (stream == NULL) {
    opj_destroy_codec(codec);
    snprintf(message, 256, "cannot create the input stream");
    return NULL;
  }
  opj_stream_set_user_data(stream, &source, NULL);
  opj_stream_set_user_data_length(stream, size);
  opj_stream_set_read_function(stream, myo_j2k_read);
  opj_stream_set_skip_function(stream, myo_j2k_skip);
  opj_stream_set_seek_function(stream, myo_j2k_seek);
  int ok = opj_setup_decoder(codec, &parameters) &&
           opj_read_header(stream, codec, &image);
  /* The size comes from the codestream; it must match the DICOM header
   * before the decoder allocates the samples. */
  if (ok && (image->x1 - image->x0 > max_width ||
             image->y1 - image->y0 > max_height)) {
    snprintf(message, 256, "codestream is %u x %u, larger than the header",
             image->x1 - image->x0, image->y1 - image->y0);
    ok = 0;
  }
  ok = ok && opj_decode(codec, stream, image) &&
           opj_end_decompress(codec, stream);
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  if (!ok) {
    if (image != NULL) opj_image_destroy(image);
    if (message[0] == 0) snprintf(message, 256, "decoding failed");
    return NULL;
  }
  return image;
}

/* Returns component index of an image, for Swift's pointer-free access. */
static inline opj_image_comp_t *myo_j2k_component(opj_image_t *image,
                                                   unsigned index) {
  return index < image->numcomps ? &image->comps[index] : NULL;
}
