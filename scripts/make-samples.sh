#!/usr/bin/env bash
# scripts/make-samples.sh [OUTDIR]
#
# Makes the small sample images in samples/ (or OUTDIR) with the REAL LVM2 on loop devices:
#   sample-pv0.img, sample-pv1.img  VG "sample":    lin (linear, ext4 inside), str (2 stripes x 64 KiB, text)
#   sample-gpt.img                  VG "samplegpt": GPT disk, PV in partition 2; data (3 segments, ext4), hole
# Each image is <= 16 MiB, filled with a recognisable pattern before pvcreate, then gzipped (*.img.gz).
# LV contents are written straight into the image bytes at the offsets the LVs map to (from
# `lvs --segments -o +seg_pe_ranges` and pe_start), without device-mapper.
# Also written: <vg>.vg.txt (vgcfgbackup -f), <vg>.lv-sha256.txt (expected LV contents) and README.md.
#
# Needs root, lvm2, losetup, sgdisk, sfdisk, mkfs.ext4 (e2fsprogs >= 1.43 for -d), perl, gzip.
# Host safety: every lvm command gets --devices with only the loop devices made here; only those are
# detached at the end; LVM_SYSTEM_DIR points into a temp dir so /etc/lvm is not touched.
set -euo pipefail

# Run in a private UTS namespace with a fixed host name, so creation_host in the metadata does not name
# the machine that made the samples.
if [[ -z "${LVMKIT_SAMPLES_NS:-}" ]] && unshare --uts true 2>/dev/null; then
  exec env LVMKIT_SAMPLES_NS=1 unshare --uts bash -c 'hostname lvmkit-samples && exec bash "$0" "$@"' "$0" "$@"
fi

REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$REPO/samples}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
[[ $(id -u) == 0 ]] || { echo "make-samples.sh: must run as root (losetup, lvm)" >&2; exit 2; }
for t in lvm losetup sgdisk sfdisk mkfs.ext4 perl gzip sha256sum; do
  command -v "$t" >/dev/null || { echo "make-samples.sh: $t not found" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lvmkit-samples.XXXXXX")
LOOPS=()
cleanup() {
  local d
  for d in "${LOOPS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do losetup -d "$d" 2>/dev/null && break; sleep 0.2; done
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" # every path below is relative, so no path of this machine lands in metadata or backups
mkdir lvm-system
export LVM_SYSTEM_DIR=$WORK/lvm-system LVM_SUPPRESS_FD_WARNINGS=1 LC_ALL=C TZ=UTC

MiB=1048576
CMDLOG=$WORK/commands.log
declare -A IMG_OF OFF_OF   # loop device -> image file name, byte offset of the device in the image

log() { printf '%s\n' "$*" >>"$CMDLOG"; }
section() { printf '\n# %s\n' "$*" >>"$CMDLOG"; }

# attach VAR IMAGE [OFFSET SIZE]: attach IMAGE (or a byte range of it) to a new loop device, store it in VAR.
attach() {
  local var=$1 img=$2 off=${3:-0} size=${4:-} dev
  if [[ -n $size ]]; then
    dev=$(losetup -f --show -o "$off" --sizelimit "$size" "$img")
    log "losetup -f --show -o $off --sizelimit $size $img   # -> $dev"
  else
    dev=$(losetup -f --show "$img")
    log "losetup -f --show $img   # -> $dev"
  fi
  LOOPS+=("$dev")
  IMG_OF[$dev]=$img
  OFF_OF[$dev]=$off
  printf -v "$var" '%s' "$dev"
}

# lvm_ DEVICES CMD ARGS...: real lvm restricted to DEVICES (comma list), without this kernel's DM noise.
# lvm_report: the same, not written to the command log (reports that only go into README.md).
lvm_() {
  log "lvm $2 --devices $1 ${*:3}"
  lvm_report "$@"
}
lvm_report() {
  local devs=$1 cmd=$2
  shift 2
  lvm "$cmd" --devices "$devs" "$@" 2> >(grep -vE 'leaked on|Activation disabled|not zeroed|device-mapper|libdevmapper|/dev/mapper/control' >&2)
}

# pattern IMAGE: fill with 512-byte sectors "lvmkit <image> @<byte offset>\n" repeated (as test/helpers/images.ts).
pattern() {
  log "pattern $1   # every sector: \"lvmkit $1 @<offset>\\n\" repeated"
  fill_pattern "$1" "$1"
}
fill_pattern() { # FILE TAG
  perl -e '
    my ($f, $tag) = @ARGV; open(my $fh, "+<", $f) or die "$f: $!"; binmode $fh;
    my $size = -s $fh; my $buf = "";
    for (my $o = 0; $o < $size; $o += 512) {
      my $l = "lvmkit $tag \@$o\n"; $buf .= substr($l x (int(512 / length($l)) + 1), 0, 512);
      if (length($buf) >= 1048576) { print $fh $buf; $buf = ""; }
    }
    print $fh $buf; close($fh) or die;' "$1" "$2"
}

# make_ext4 FILE SIZE_MIB LABEL UUID DIR: an ext4 of SIZE_MIB holding DIR's files.
make_ext4() {
  local file=$1 mib=$2 label=$3 uuid=$4 dir=$5
  truncate -s "$((mib * MiB))" "$file"
  log "mkfs.ext4 -q -F -b 1024 -m 0 -L $label -U $uuid -E root_owner=0:0,hash_seed=$uuid -d $dir $file"
  E2FSPROGS_FAKE_TIME=1700000000 mkfs.ext4 -q -F -b 1024 -m 0 -L "$label" -U "$uuid" -E "root_owner=0:0,hash_seed=$uuid" -d "$dir" "$file"
}

# put_bytes SRC SRC_OFF IMAGE IMAGE_OFF LEN
put_bytes() {
  dd if="$1" of="$3" bs=512 skip="$(($2 / 512))" seek="$(($4 / 512))" count="$(($5 / 512))" conv=notrunc status=none
}

# write_lv DEVICES VG LV SRC: copy SRC (exactly the LV's size) into the image bytes the LV maps to.
write_lv() {
  local devs=$1 vg=$2 lv=$3 src=$4 ext lvsize line
  ext=$(lvm_ "$devs" vgs --noheadings --units b --nosuffix -o vg_extent_size "$vg" | tr -d ' ')
  lvsize=$(lvm_ "$devs" lvs --noheadings --units b --nosuffix -o lv_size "$vg/$lv" | tr -d ' ')
  [[ $(stat -c %s "$src") == "$lvsize" ]] || { echo "write_lv: $src is not $lvsize bytes" >&2; exit 1; }
  declare -A pestart=()
  while read -r dev ps; do pestart[$dev]=$ps; done < <(lvm_ "$devs" pvs --noheadings --units b --nosuffix -o pv_name,pe_start)
  log "# write $src into $vg/$lv: segments from lvs --segments -o seg_start_pe,seg_size_pe,stripes,stripe_size,seg_pe_ranges"
  while IFS=';' read -r le count nstripes chunk ranges; do
    write_segment "$src" "$ext" "$le" "$count" "$nstripes" "$chunk" "$ranges"
  done < <(lvm_ "$devs" lvs --segments --noheadings --separator ';' --units b --nosuffix \
             -o seg_start_pe,seg_size_pe,stripes,stripe_size,seg_pe_ranges "$vg/$lv" | sed 's/^ *//')
}

# write_segment SRC EXTENT_BYTES LE COUNT NSTRIPES CHUNK "dev:first-last dev:first-last..."
write_segment() {
  local src=$1 ext=$2 le=$3 count=$4 n=$5 chunk=$6 ranges=$7 i=0 r dev first
  local -a base=()
  for r in $ranges; do
    dev=${r%:*}
    first=${r##*:}
    first=${first%-*}
    base[i]=$(( ${OFF_OF[$dev]} + ${pestart[$dev]} + first * ext ))
    areaimg[i]=${IMG_OF[$dev]}
    i=$((i + 1))
  done
  local segoff=$((le * ext)) seglen=$((count * ext))
  if (( n == 1 )); then
    log "#   LE $le+$count -> ${areaimg[0]} byte ${base[0]}"
    put_bytes "$src" "$segoff" "${areaimg[0]}" "${base[0]}" "$seglen"
    return
  fi
  log "#   LE $le+$count striped x$n, chunk $chunk -> $(for ((k = 0; k < n; k++)); do printf '%s@%s ' "${areaimg[k]}" "${base[k]}"; done)"
  local c nchunks=$((seglen / chunk))
  for ((c = 0; c < nchunks; c++)); do
    put_bytes "$src" "$((segoff + c * chunk))" "${areaimg[c % n]}" "$((base[c % n] + (c / n) * chunk))" "$chunk"
  done
}
declare -a areaimg=()
declare -A pestart=()

# expected_sum VG LV SRC >> OUT/VG.lv-sha256.txt
expected_sum() {
  printf 'LV %s/%s %s %s\n' "$1" "$2" "$(stat -c %s "$3")" "$(sha256sum <"$3" | cut -d' ' -f1)"
}

# fs_tree DIR NAME: small files to put into an ext4.
fs_tree() {
  local d=$1 name=$2
  mkdir -p "$d/docs/nested"
  printf 'Hello from the lvmkit sample %s.\nThis file lives in an ext4 filesystem inside an LVM2 logical volume.\n' "$name" >"$d/hello.txt"
  seq -f 'line %06g of numbers.txt in '"$name" 1 20000 >"$d/numbers.txt"
  printf 'nested file in %s\n' "$name" >"$d/docs/nested/deep.txt"
  for i in 1 2 3; do printf 'note %s of %s\n' "$i" "$name" >"$d/docs/note$i.txt"; done
}

: >"$CMDLOG"

###############################################################################################
# (a) VG "sample": two 16 MiB PVs, lin (linear, 4 MiB, ext4) and str (2 stripes x 64 KiB, 8 MiB)
section 'sample: two whole-disk PVs'
A0=sample-pv0.img A1=sample-pv1.img
for img in $A0 $A1; do
  truncate -s 16M "$img"; log "truncate -s 16M $img"
  pattern "$img"
done
attach L0 $A0
attach L1 $A1
DA="$L0,$L1"
lvm_ "$DA" pvcreate -q "$L0" "$L1"
lvm_ "$DA" vgcreate -q -s 1M sample "$L0" "$L1"
lvm_ "$DA" lvcreate -q --driverloaded n -an -Zn -n lin -L 4M sample "$L0:0-3"
lvm_ "$DA" lvcreate -q --driverloaded n -an -Zn -n str -i 2 -I 64k -L 8M sample "$L0:4-7" "$L1:0-3"

mkdir tree-lin; fs_tree tree-lin sample/lin
make_ext4 lin.ext4 4 sample-lin 5a3b1c2d-0000-4000-8000-00000000a001 tree-lin
write_lv "$DA" sample lin lin.ext4
truncate -s 8M str.txt; fill_pattern str.txt sample/str
log "# str.txt: 8 MiB, every sector \"lvmkit sample/str @<byte offset in the LV>\\n\" repeated"
write_lv "$DA" sample str str.txt
lvm_ "$DA" vgcfgbackup -q -f sample.vg.txt sample
{ expected_sum sample lin lin.ext4; expected_sum sample str str.txt; } >sample.lv-sha256.txt
REPORT_A=$(lvm_report "$DA" lvs --segments --units b -o lv_name,segtype,seg_start_pe,seg_size_pe,stripes,stripe_size,seg_pe_ranges sample)
PVS_A=$(lvm_report "$DA" pvs --units b -o pv_name,vg_name,dev_size,pe_start,pv_pe_count,pv_uuid)

###############################################################################################
# (b) VG "samplegpt": a 16 MiB disk with a GPT, the PV in partition 2, data (3 segments) and hole
section 'samplegpt: a GPT disk, PV in partition 2'
G=sample-gpt.img
truncate -s 16M $G; log "truncate -s 16M $G"
pattern $G
log "sgdisk -o -n1:0:+2M -t1:8300 -c1:boot -n2:0:0 -t2:8E00 -c2:lvm -U 5A3B1C2D-0000-4000-8000-0000000000D1 -u1:5A3B1C2D-0000-4000-8000-0000000000B1 -u2:5A3B1C2D-0000-4000-8000-0000000000B2 $G"
sgdisk -o -n1:0:+2M -t1:8300 -c1:boot -n2:0:0 -t2:8E00 -c2:lvm -U 5A3B1C2D-0000-4000-8000-0000000000D1 \
  -u1:5A3B1C2D-0000-4000-8000-0000000000B1 -u2:5A3B1C2D-0000-4000-8000-0000000000B2 $G >/dev/null
read -r P2START P2SECTORS < <(sfdisk -d $G | sed -n 's/.*'"$G"'2 : start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p')
# The partition is attached as a loop over its byte range (works whether or not the kernel scans partitions).
attach LG $G "$((P2START * 512))" "$((P2SECTORS * 512))"
DG="$LG"
lvm_ "$DG" pvcreate -q "$LG"
lvm_ "$DG" vgcreate -q -s 1M samplegpt "$LG"
lvm_ "$DG" lvcreate -q --driverloaded n -an -Zn -n data -l 2 samplegpt "$LG:4-5"
lvm_ "$DG" lvcreate -q --driverloaded n -an -Zn -n hole -l 1 samplegpt "$LG:6-6"
lvm_ "$DG" lvextend -q --driverloaded n -l +2 samplegpt/data "$LG:0-1"
lvm_ "$DG" lvextend -q --driverloaded n -l +3 samplegpt/data "$LG:7-9"

mkdir tree-data; fs_tree tree-data samplegpt/data
make_ext4 data.ext4 7 samplegpt-data 5a3b1c2d-0000-4000-8000-00000000a002 tree-data
write_lv "$DG" samplegpt data data.ext4
truncate -s 1M hole.txt; fill_pattern hole.txt samplegpt/hole
log "# hole.txt: 1 MiB, every sector \"lvmkit samplegpt/hole @<byte offset in the LV>\\n\" repeated"
write_lv "$DG" samplegpt hole hole.txt
lvm_ "$DG" vgcfgbackup -q -f samplegpt.vg.txt samplegpt
{ expected_sum samplegpt data data.ext4; expected_sum samplegpt hole hole.txt; } >samplegpt.lv-sha256.txt
REPORT_G=$(lvm_report "$DG" lvs --segments --units b -o lv_name,segtype,seg_start_pe,seg_size_pe,stripes,stripe_size,seg_pe_ranges samplegpt)
PVS_G=$(lvm_report "$DG" pvs --units b -o pv_name,vg_name,dev_size,pe_start,pv_pe_count,pv_uuid)
PART_G=$(sfdisk -l $G | sed -n '/^Device/,$p')

###############################################################################################
# Detach, compress, copy out
for d in "${LOOPS[@]}"; do
  for _ in 1 2 3 4 5 6 7 8 9 10; do losetup -d "$d" 2>/dev/null && break; sleep 0.2; done
done
LOOPS=()
# the devices' names, as LVM recorded them, mapped to what they are in the samples
MAP="$L0 = sample-pv0.img, $L1 = sample-pv1.img, $LG = partition 2 of sample-gpt.img (bytes $((P2START * 512))..$(((P2START + P2SECTORS) * 512 - 1)))"
for img in $A0 $A1 $G; do
  [[ $(stat -c %s "$img") -le $((16 * MiB)) ]] || { echo "$img is larger than 16 MiB" >&2; exit 1; }
  gzip -9 -n -f "$img"
  cp "$img.gz" "$OUT/"
done
chmod 644 sample.vg.txt samplegpt.vg.txt
cp sample.vg.txt samplegpt.vg.txt sample.lv-sha256.txt samplegpt.lv-sha256.txt "$OUT/"

###############################################################################################
# README.md
{
cat <<'EOF'
# Sample images

Small real LVM2 images made by `scripts/make-samples.sh` (run as root; real LVM2 2.03.16 on loop devices,
every lvm command restricted with `--devices` to the loop devices the script made). Re-run the script to
remake them; it overwrites the files here. Image files are gzipped; `gunzip -k samples/*.img.gz` gives the
raw images (each 16 MiB).

Before `pvcreate` every image was filled with a pattern: each 512-byte sector holds the text
`lvmkit <image name> @<byte offset>\n` repeated, so a hex dump of any sector that LVM2 did not write says
where it is. LV contents were then written straight into the image bytes the LVs map to (no device-mapper:
offsets from `lvs --segments -o seg_start_pe,seg_size_pe,stripes,stripe_size,seg_pe_ranges` and `pe_start`).
The host name in the metadata is `lvmkit-samples` (the script runs in its own UTS namespace).

| file | what |
|---|---|
| `sample-pv0.img.gz`, `sample-pv1.img.gz` | VG `sample`: two 16 MiB whole-disk PVs, extent size 1 MiB |
| `sample-gpt.img.gz` | VG `samplegpt`: a 16 MiB disk with a GPT; partition 2 (type 8E00) is the PV |
| `sample.vg.txt`, `samplegpt.vg.txt` | `vgcfgbackup -f` text of each VG |
| `sample.lv-sha256.txt`, `samplegpt.lv-sha256.txt` | `LV <vg>/<lv> <bytes> <sha256>`: the exact contents of each LV |

LVs:

* `sample/lin`: linear, 4 MiB on `sample-pv0.img` extents 0-3. An ext4 (1 KiB blocks, label `sample-lin`)
  made with `mkfs.ext4 -d` holding `hello.txt`, `numbers.txt` (20000 numbered lines), `docs/note1..3.txt`,
  `docs/nested/deep.txt`.
* `sample/str`: striped, 2 stripes x 64 KiB, 8 MiB: extents 4-7 of `sample-pv0.img` and 0-3 of
  `sample-pv1.img`. Text: each sector of the LV is `lvmkit sample/str @<byte offset in the LV>\n` repeated,
  so reading the LV with a correct stripe mapping gives steadily increasing offsets.
* `samplegpt/data`: linear in **3 segments**, 7 MiB: LE 0-1 -> PE 4-5, LE 2-3 -> PE 0-1, LE 4-6 -> PE 7-9
  of partition 2. An ext4 (label `samplegpt-data`) with the same kind of files.
* `samplegpt/hole`: linear, 1 MiB at PE 6 (between two segments of `data`), pattern
  `lvmkit samplegpt/hole @<byte offset in the LV>\n`.

In the metadata the PVs' `device` hints are the loop devices used when the samples were made:
EOF
printf '%s.\n\n' "$MAP"
printf '## Reports at creation time\n\n```\n$ lvs --segments (sample)\n%s\n$ pvs (sample)\n%s\n$ lvs --segments (samplegpt)\n%s\n$ pvs (samplegpt)\n%s\n$ sfdisk -l sample-gpt.img\n%s\n```\n\n' \
  "$REPORT_A" "$PVS_A" "$REPORT_G" "$PVS_G" "$PART_G"
printf '## Exact commands (as run by scripts/make-samples.sh, in order)\n\n```\n'
cat "$CMDLOG"
printf '```\n'
} >"$OUT/README.md"

echo "make-samples.sh: wrote $(cd "$OUT" && ls sample* README.md | tr '\n' ' ')"
