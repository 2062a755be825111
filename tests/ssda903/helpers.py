"""Small SSDA903 files written into tmp_path for the reader and check tests."""

from __future__ import annotations

from pathlib import Path

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a CSV exactly as given (lines joined with \\n), creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def csv(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# One child, two episodes linked by X1, then left care (E4A): every check should pass.
CLEAN_HEADER = csv(HEADER, "C1,M,01/06/2012,WBRI,A12345678901B,,")
CLEAN_EPISODES = csv(
    EPISODES,
    "C1,01/05/2024,S,C2,N1,U4,PR1,01/08/2024,X1,,S1 1AA,S2 2BB,SC123456",
    "C1,01/08/2024,P,C2,N1,U6,PR4,01/02/2025,E4A,CARPL,S1 1AA,S3 3CC,SC654321",
)
