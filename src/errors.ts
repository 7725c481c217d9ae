/**
 * Typed errors with stable codes. Every error a user can cause (bad input, bad images, bad arguments)
 * is an LvmkitError; the CLI prints `lvmkit: <message>` on one line and exits non-zero, no stack trace.
 * Anything else that escapes is a bug.
 */
export type ErrorCode =
  // devices
  | 'EDEVICE_OPEN'        // cannot open an image file
  | 'EDEVICE_IO'          // read/write failed (EIO, short read past end of device)
  | 'EDEVICE_RANGE'       // access outside the device
  | 'EPARTITION'          // malformed partition table
  // format (on-disk structs)
  | 'ENOT_PV'             // no LVM2 label found
  | 'ELABEL_CRC'          // label found but CRC wrong
  | 'ELABEL'              // label/pv_header malformed (offsets, lists)
  | 'EMDA_HEADER'         // metadata area header: bad magic/version/start
  | 'EMDA_CRC'            // metadata area header CRC mismatch
  | 'EMDA_TEXT_CRC'       // metadata text checksum mismatch
  | 'EMDA_LOCATION'       // raw location outside the area / area outside device
  | 'ETRUNCATED'          // image shorter than the structures it claims
  // metadata text
  | 'EPARSE'              // syntax error in config text (line:column)
  | 'EMETADATA'           // well-formed text that is not valid LVM2 VG metadata
  | 'EVALIDATE'           // model validation failure (overlaps, unknown PV...)
  // commands
  | 'EVG_NOT_FOUND'
  | 'ELV_NOT_FOUND'
  | 'EINCONSISTENT'       // metadata copies disagree in a way we must not guess about
  | 'EARGS'               // bad command-line arguments (exit 3, as LVM2's EINVALID_CMD_LINE)
  | 'EREPORT_FIELDS'      // unknown or incompatible report fields (LVM2 exits 5 for these)
  // writing verbs
  | 'ELOCKED'             // another lvmkit writer holds one of the images
  | 'ENOSPACE'            // not enough free extents (or metadata area space) for the request
  | 'ESIZE'               // an LV size the verb cannot take (matches the current size, not larger/smaller, below 1 extent)
  | 'EEXISTS'             // name already in use, or a device already holds an LVM label / filesystem
  | 'EIN_USE'             // PV still has allocated extents, LV in use, ...
  | 'EMISSING_PV'         // the VG has missing PVs: refuse to change it
  | 'EDUPLICATE_PV'       // two devices hold the same PV (a copied image): refuse to change its VG
  | 'EDUPLICATE_VG'       // two VGs of that name (different UUIDs) on the images: LVM2 skips the name
  | 'EUNSUPPORTED';

export class LvmkitError extends Error {
  readonly code: ErrorCode;
  /** Device or file the error is about, when there is one. */
  readonly file?: string;
  /** Byte offset within `file`, when relevant. */
  readonly offset?: number;
  constructor(code: ErrorCode, message: string, details: { file?: string; offset?: number; cause?: unknown } = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'LvmkitError';
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
    if (details.offset !== undefined) this.offset = details.offset;
  }
}

export function isLvmkitError(e: unknown): e is LvmkitError {
  return e instanceof LvmkitError;
}
