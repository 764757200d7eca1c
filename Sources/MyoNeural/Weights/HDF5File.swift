import CHDF5
import Foundation

/// The one wrapper around libhdf5: opens a file read-only and reads
/// groups, string-array attributes and float datasets. No other file
/// imports CHDF5.
final class HDF5File {
  let path: String
  private let file: hid_t

  /// Opens a file read-only; HDF5's own error printing is switched off so
  /// that failures surface as `NeuralError` values.
  init(path: String) throws {
    self.path = path
    H5open()
    H5Eset_auto2(0, nil, nil)  // 0 is H5E_DEFAULT, the default error stack.
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw NeuralError.unreadable(
        path: path, reason: "no such file or no permission")
    }
    guard H5Fis_hdf5(path) > 0 else {
      throw NeuralError.invalidFile(
        path: path, field: "signature", found: "no HDF5 signature",
        expected: "an HDF5 file saved by Keras (.h5)")
    }
    // 0 is H5F_ACC_RDONLY, 0 is H5P_DEFAULT.
    file = H5Fopen(path, 0, 0)
    guard file >= 0 else {
      throw NeuralError.hdf5(path: path, operation: "open the file")
    }
  }

  deinit { H5Fclose(file) }

  /// Checks whether a link (group or dataset) exists at an absolute path.
  func exists(_ location: String) -> Bool {
    var prefix = ""
    for part in location.split(separator: "/") {
      prefix += "/" + part
      if H5Lexists(file, prefix, 0) <= 0 { return false }
    }
    return true
  }

  /// Reads an attribute holding an array of strings, fixed-length or
  /// variable-length; nil when the object has no such attribute.
  func stringArray(attribute name: String, of object: String) throws
    -> [String]?
  {
    guard H5Aexists_by_name(file, object, name, 0) > 0 else { return nil }
    let attribute = H5Aopen_by_name(file, object, name, 0, 0)
    guard attribute >= 0 else {
      throw NeuralError.hdf5(
        path: path, operation: "open attribute \(object)@\(name)")
    }
    defer { H5Aclose(attribute) }
    let type = H5Aget_type(attribute)
    defer { H5Tclose(type) }
    let space = H5Aget_space(attribute)
    defer { H5Sclose(space) }
    let count = Int(H5Sget_simple_extent_npoints(space))
    // Keras writes an empty list as an empty float array.
    if count == 0 { return [] }
    guard H5Tget_class(type) == H5T_STRING, count >= 0 else {
      throw NeuralError.invalidFile(
        path: path, field: "attribute \(object)@\(name)",
        found: "a non-string value",
        expected: "an array of strings")
    }

    if H5Tis_variable_str(type) > 0 {
      let memory = H5Tcopy(myoscope_h5t_c_s1())
      defer { H5Tclose(memory) }
      H5Tset_size(memory, -1)  // -1 is H5T_VARIABLE.
      var pointers = [UnsafeMutablePointer<CChar>?](
        repeating: nil, count: count)
      guard H5Aread(attribute, memory, &pointers) >= 0 else {
        throw NeuralError.hdf5(
          path: path, operation: "read attribute \(object)@\(name)")
      }
      defer { H5Dvlen_reclaim(memory, space, 0, &pointers) }
      return pointers.map { $0.map { String(cString: $0) } ?? "" }
    }

    let size = H5Tget_size(type)
    guard size > 0, size < 1 << 20 else {
      throw NeuralError.invalidFile(
        path: path, field: "attribute \(object)@\(name)",
        found: "string size \(size)",
        expected: "1 to 1048575 bytes")
    }
    var bytes = [UInt8](repeating: 0, count: size * count)
    guard H5Aread(attribute, type, &bytes) >= 0 else {
      throw NeuralError.hdf5(
        path: path, operation: "read attribute \(object)@\(name)")
    }
    return (0..<count).map { index in
      let slice = bytes[(index * size)..<((index + 1) * size)]
      let text = slice.prefix { $0 != 0 }
      return String(decoding: text, as: UTF8.self)
    }
  }

  /// Returns the dimensions of a dataset.
  func shape(ofDataset location: String) throws -> [Int] {
    let dataset = H5Dopen2(file, location, 0)
    guard dataset >= 0 else {
      throw NeuralError.hdf5(path: path, operation: "open dataset \(location)")
    }
    defer { H5Dclose(dataset) }
    let space = H5Dget_space(dataset)
    defer { H5Sclose(space) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    guard rank >= 0 && rank <= 8 else {
      throw NeuralError.invalidFile(
        path: path, field: "rank of \(location)", found: "\(rank)",
        expected: "0 to 8")
    }
    var dims = [hsize_t](repeating: 0, count: rank)
    H5Sget_simple_extent_dims(space, &dims, nil)
    return dims.map { Int($0) }
  }

  /// Reads a numeric dataset converted to float32 by HDF5.
  func floats(ofDataset location: String) throws -> [Float] {
    let count = try shape(ofDataset: location).reduce(1, *)
    let dataset = H5Dopen2(file, location, 0)
    guard dataset >= 0 else {
      throw NeuralError.hdf5(path: path, operation: "open dataset \(location)")
    }
    defer { H5Dclose(dataset) }
    let type = H5Dget_type(dataset)
    let typeClass = H5Tget_class(type)
    H5Tclose(type)
    guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else {
      throw NeuralError.unsupportedType(
        path: path, key: location, found: "HDF5 class \(typeClass)")
    }
    var values = [Float](repeating: 0, count: count)
    // 0, 0, 0: H5S_ALL for both spaces and H5P_DEFAULT.
    guard H5Dread(dataset, myoscope_h5t_native_float(), 0, 0, 0, &values) >= 0
    else {
      throw NeuralError.hdf5(path: path, operation: "read dataset \(location)")
    }
    return values
  }
}
