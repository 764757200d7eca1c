"""Decode benchmark: myoscope against pydicom, whole process against whole
process, on the same files.

Series:
  uncompressed  30 slices of 512 x 512, 16 bits, explicit VR little endian,
                written here with pydicom from the real thigh Dixon scans
                (each 512 x 256 slice placed twice, one above the other).
  jpeg-lossless 30 copies of the real 384 x 384 JPEG lossless process 14
                file (mr-dicom-transfer-syntaxes/In/5.dcm).

Each contender reads every file of a series, decodes the pixels and
computes the minimum, maximum and mean of each frame:
  myoscope      `myoscope info FOLDER` (release build)
  pydicom       dcmread + pixel_array + numpy min/max/mean, with numpy for
                the uncompressed series and pylibjpeg-libjpeg for JPEG
                lossless

Prints the median wall time of REPEAT runs of each and the ratio of
pydicom's time to myoscope's (above 1 means myoscope is faster).

usage: python decode_benchmark.py --myoscope BINARY --data SHARED_DATA
         [--work FOLDER] [--repeat N]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

PYDICOM_READER = r"""
import glob, sys
import numpy, pydicom
for path in sorted(glob.glob(sys.argv[1] + "/*.dcm")):
    pixels = pydicom.dcmread(path).pixel_array
    print(path, pixels.min(), pixels.max(), pixels.mean())
"""


def make_uncompressed(folder, data):
    import nibabel
    import numpy as np
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage, generate_uid

    os.makedirs(folder, exist_ok=True)
    volumes = [np.asanyarray(nibabel.load(os.path.join(
        data, "thigh-dixon-siemens", name)).dataobj)
        for name in ("0006-Dixon_TE_345_th.nii.gz", "0008-Dixon_TE_460_th.nii.gz",
                     "0010-Dixon_TE_575_th.nii.gz")]
    series = generate_uid()
    for index in range(30):
        volume = volumes[index // 10]
        tile = volume[:, :, index % 10].T.astype(np.uint16)  # 256 x 512
        pixels = np.vstack([tile, tile])  # 512 x 512
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = MRImageStorage
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SOPClassUID = MRImageStorage
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.Modality = "MR"
        ds.SeriesInstanceUID = series
        ds.InstanceNumber = index + 1
        ds.ImagePositionPatient = [0, 0, 20 * index]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [0.8, 0.8]
        ds.Rows, ds.Columns = pixels.shape
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 0
        ds.PixelData = pixels.tobytes()
        ds.save_as(os.path.join(folder, f"{index + 1:03d}.dcm"),
                   enforce_file_format=True)


def make_jpeg_lossless(folder, data):
    os.makedirs(folder, exist_ok=True)
    source = os.path.join(data, "mr-dicom-transfer-syntaxes", "In", "5.dcm")
    for index in range(30):
        shutil.copy(source, os.path.join(folder, f"{index + 1:03d}.dcm"))


def median_seconds(command, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--myoscope", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", default=".build/bench-imaging")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    folders = {"uncompressed": os.path.join(args.work, "uncompressed"),
               "jpeg-lossless": os.path.join(args.work, "jpeg-lossless")}
    if not os.path.isdir(folders["uncompressed"]):
        make_uncompressed(folders["uncompressed"], args.data)
    if not os.path.isdir(folders["jpeg-lossless"]):
        make_jpeg_lossless(folders["jpeg-lossless"], args.data)

    print(f"python {sys.version.split()[0]}, repeat {args.repeat}, median wall time")
    for name, folder in folders.items():
        ours = median_seconds([args.myoscope, "info", folder], args.repeat)
        theirs = median_seconds([sys.executable, "-c", PYDICOM_READER, folder],
                                args.repeat)
        print(f"{name:14s} myoscope {ours:7.3f} s   pydicom {theirs:7.3f} s"
              f"   ratio {theirs / ours:5.2f}")


if __name__ == "__main__":
    main()
