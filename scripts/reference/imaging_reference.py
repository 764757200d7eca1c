"""Reference values for the imaging tests, computed with pydicom and nibabel.

Prints one JSON object: for each MR DICOM file bundled in the installed
pydicom package and each NIfTI file bundled in nibabel, the dimensions and
the statistics of the values a reader should produce. DICOM values are the
modality values (pixel_array through apply_modality_lut); NIfTI values are
the first volume scaled by scl_slope and scl_inter. Images of at most
65536 pixels also list every value, row-major, in the file's own order.
"""

import glob
import json
import os
import sys

import numpy as np


def dicom_entries():
    import pydicom
    import pydicom.data
    from pydicom.pixels import apply_modality_lut

    root = os.path.join(os.path.dirname(pydicom.data.__file__), "test_files")
    entries = []
    for path in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
        if os.path.isdir(path) or path.endswith((".py", ".gz", ".json", ".txt")):
            continue
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue
        if ds.get("Modality") != "MR" or "PixelData" not in ds:
            continue
        entry = {"path": path, "rows": int(ds.Rows), "columns": int(ds.Columns),
                 "frames": int(ds.get("NumberOfFrames", 1) or 1)}
        try:
            pixels = ds.pixel_array
        except Exception as error:  # truncated or undecodable here
            entry["error"] = f"{type(error).__name__}: {error}"
            entries.append(entry)
            continue
        values = apply_modality_lut(pixels, ds).astype(np.float64)
        if entry["frames"] > 1:
            values = values[0]
        entry.update(statistics(values))
        entries.append(entry)
    return entries


# Compressed non-MR files of the pydicom package that reach the other
# codecs: JPEG baseline and extended, JPEG-LS near-lossless, JPEG 2000,
# RLE with several frames, colour and 32-bit samples.
CODEC_FILES = [
    "693_J2KI.dcm", "GDCMJ2K_TextGBR.dcm", "JPEG2000.dcm", "JPEG-lossy.dcm",
    "JPGExtended.dcm", "JPEGLSNearLossless_08.dcm", "JPEGLSNearLossless_16.dcm",
    "SC_jpeg_no_color_transform.dcm", "SC_rgb_dcmtk_+eb+cr.dcm",
    "SC_rgb_dcmtk_+eb+cy+n1.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm",
    "SC_rgb_gdcm_KY.dcm", "SC_rgb_jls_lossy_line.dcm",
    "SC_rgb_jls_lossy_sample.dcm", "SC_rgb_jpeg_dcmtk.dcm",
    "SC_rgb_jpeg_gdcm.dcm", "SC_rgb_rle.dcm", "SC_rgb_rle_2frame.dcm",
    "SC_rgb_small_odd_jpeg.dcm", "examples_jpeg2k.dcm", "rtdose_rle.dcm",
    "SC_ybr_full_422_uncompressed.dcm",
]


def codec_entries():
    import pydicom
    import pydicom.data
    from pydicom.pixels import apply_modality_lut

    root = os.path.join(os.path.dirname(pydicom.data.__file__), "test_files")
    entries = []
    for name in CODEC_FILES:
        path = os.path.join(root, name)
        if not os.path.exists(path):
            continue
        ds = pydicom.dcmread(path)
        entry = {"path": path, "rows": int(ds.Rows), "columns": int(ds.Columns),
                 "frames": int(ds.get("NumberOfFrames", 1) or 1),
                 "samples": int(ds.SamplesPerPixel),
                 "transferSyntax": str(ds.file_meta.TransferSyntaxUID)}
        try:
            pixels = ds.pixel_array
        except Exception as error:
            entry["error"] = f"{type(error).__name__}: {error}"
            entries.append(entry)
            continue
        if entry["frames"] > 1:
            pixels = pixels[0]
        if entry["samples"] == 1:
            pixels = apply_modality_lut(pixels, ds)
        entry.update(statistics(np.asarray(pixels, dtype=np.float64)))
        entry["values"] = finite_list(np.asarray(pixels, dtype=np.float64))
        entries.append(entry)
    return entries


def nifti_entries():
    import nibabel

    root = os.path.join(os.path.dirname(nibabel.__file__), "tests", "data")
    names = sorted(glob.glob(os.path.join(root, "*.nii"))
                   + glob.glob(os.path.join(root, "*.nii.gz"))
                   + glob.glob(os.path.join(root, "nifti*.hdr")))
    entries = []
    for path in names:
        try:
            image = nibabel.load(path)
        except Exception:
            continue
        if not isinstance(image, (nibabel.Nifti1Image, nibabel.Nifti2Image,
                                  nibabel.Nifti1Pair, nibabel.Nifti2Pair)):
            continue
        shape = image.shape
        if len(shape) < 3 or any(n > 1000 for n in shape[:3]):
            continue
        try:
            data = np.asanyarray(image.dataobj)
        except Exception:
            continue
        while data.ndim > 3:
            data = data[..., 0]
        data = np.asarray(data, dtype=np.float64)
        entry = {"path": path, "size": [int(n) for n in shape[:3]],
                 "version": 2 if isinstance(image, (nibabel.Nifti2Image,
                                                    nibabel.Nifti2Pair)) else 1}
        entry.update(statistics(data))
        if "values" in entry:
            # [z, y, x] with x fastest, as the reader stores the volume.
            entry["values"] = finite_list(data.transpose(2, 1, 0))
        entries.append(entry)
    return entries


def statistics(values):
    finite = values[np.isfinite(values)]
    result = {"finite": int(finite.size)}
    if finite.size:
        result.update(minimum=float(finite.min()), maximum=float(finite.max()),
                      mean=float(finite.mean()))
    if values.size <= 65536:
        result["values"] = finite_list(values)
    return result


def finite_list(values):
    """The values row-major, with None for NaN and infinities."""
    return [float(v) if np.isfinite(v) else None for v in values.ravel()]


def main():
    json.dump({"dicom": dicom_entries(), "nifti": nifti_entries(),
               "codec": codec_entries()},
              sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
