"""Sample app: every import below is real, some of them are missing from requirements.txt."""

import os
from typing import TYPE_CHECKING

import cv2
import fitz  # PyMuPDF
import psycopg2
import streamlit as st
import yaml
from dotenv import load_dotenv
from google.cloud import storage
from sklearn.linear_model import LinearRegression

from app.utils import greet

try:
    import ujson as json
except ImportError:
    import json

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

load_dotenv()
st.title(greet(os.environ.get("USER", "you")))
