#!/usr/bin/env python3
"""Packs a root filesystem directory into an OCI image archive that `ctr images import` reads.

No image registry is reachable here and no Docker daemon runs, so the local node's images (the
pause image, the test model server, Ebb's operator image) are built from files on this machine.
An OCI image archive is small: an `oci-layout` file, an `index.json` naming the image (the
annotation io.containerd.image.name is what containerd calls it), and three blobs: one gzipped
layer, the image config and the manifest. Layers are reproducible: sorted entries, fixed mtimes,
owner and mode taken from the options below (not from who ran the build).

Usage:
  oci-image.py --rootfs DIR --name REF --out FILE.tar [--entrypoint JSON] [--cmd JSON]
               [--user UID[:GID]] [--env K=V ...] [--workdir DIR] [--port 8080 ...]
               [--owner PATH=UID:GID ...]
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import stat
import tarfile

EPOCH = 0


def layer_tar(rootfs, owners):
    """The rootfs as an uncompressed tar (bytes): root-owned unless an --owner prefix matches."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames) + sorted(filenames):
                path = os.path.join(dirpath, name)
                arcname = os.path.relpath(path, rootfs)
                info = tar.gettarinfo(path, arcname)
                info.mtime = EPOCH
                info.uid, info.gid = owner_of(arcname, owners)
                info.uname = info.gname = ""
                if info.isreg():
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
            # os.walk lists symlinks to directories in dirnames without descending: fine.
    return buf.getvalue()


def owner_of(arcname, owners):
    for prefix, ids in owners:
        if arcname == prefix or arcname.startswith(prefix + "/"):
            return ids
    return (0, 0)


def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest(), data


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rootfs", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--entrypoint", default=None)
    p.add_argument("--cmd", default=None)
    p.add_argument("--user", default="")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--workdir", default="")
    p.add_argument("--port", action="append", default=[])
    p.add_argument("--owner", action="append", default=[])
    args = p.parse_args()

    owners = []
    for spec in args.owner:
        prefix, ids = spec.split("=", 1)
        uid, gid = ids.split(":")
        owners.append((prefix.strip("/"), (int(uid), int(gid))))

    raw = layer_tar(args.rootfs, owners)
    diff_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    layer_digest, layer = blob(gzip.compress(raw, mtime=EPOCH))

    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": args.env or ["PATH=/usr/local/bin:/usr/bin:/bin"],
            "User": args.user,
            "WorkingDir": args.workdir,
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "hack/node/oci-image.py"}],
    }
    if args.entrypoint:
        config["config"]["Entrypoint"] = json.loads(args.entrypoint)
    if args.cmd:
        config["config"]["Cmd"] = json.loads(args.cmd)
    if args.port:
        config["config"]["ExposedPorts"] = {f"{port}/tcp": {} for port in args.port}
    config_digest, config_bytes = blob(json.dumps(config, sort_keys=True).encode())

    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": config_digest,
            "size": len(config_bytes),
        },
        "layers": [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": layer_digest,
                "size": len(layer),
            }
        ],
    }
    manifest_digest, manifest_bytes = blob(json.dumps(manifest, sort_keys=True).encode())
    tag = args.name.rsplit(":", 1)[1] if ":" in args.name.rsplit("/", 1)[-1] else "latest"
    index = {
        "schemaVersion": 2,
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": manifest_digest,
                "size": len(manifest_bytes),
                "annotations": {
                    "io.containerd.image.name": args.name,
                    "org.opencontainers.image.ref.name": tag,
                },
            }
        ],
    }

    with tarfile.open(args.out, "w") as out:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = EPOCH
            info.mode = 0o644
            out.addfile(info, io.BytesIO(data))

        add("oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode())
        add("index.json", json.dumps(index).encode())
        for digest, data in ((layer_digest, layer), (config_digest, config_bytes),
                             (manifest_digest, manifest_bytes)):
            add("blobs/sha256/" + digest.split(":", 1)[1], data)
    print(f"{args.name} {manifest_digest} layer={len(layer)} bytes -> {args.out}")


if __name__ == "__main__":
    main()
