import requests
from google.protobuf import message
